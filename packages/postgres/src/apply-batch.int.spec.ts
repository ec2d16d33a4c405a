import type { ApplyChange } from '@listen-to-yourself/core/store-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStateStore } from './postgres-state-store';
import { freshSchema } from './test-helpers';

const { schema, admin } = freshSchema('batch');
const store = postgresStateStore({ pool: admin }, { schema, maxBatchSize: 4 });
let run = 0;

beforeAll(() => store.init());
afterAll(() => store.close());

/** Change n of a batch: entity n % entities, offset n; its update fails when n is in `failAt`. */
function batch(count: number, entities: number, failAt: number[] = [], error = new Error('fails')) {
  const prefix = `b${run++}`;
  return Array.from({ length: count }, (_, n): ApplyChange<number> => ({
    entity: { type: 'batch', id: `${prefix}-${n % entities}` },
    eventId: `e${n}`,
    position: { topic: prefix, partition: 0, offset: String(n) },
    update: (current) => {
      if (failAt.includes(n)) throw error;
      return (current ?? 0) + 1;
    },
  }));
}

async function appliedCount(changes: ApplyChange<number>[]): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${store.tables.appliedEvents} WHERE entity_id = ANY($1::text[])`,
    [[...new Set(changes.map((c) => c.entity.id))]],
  );
  return rows[0]!.n;
}

describe('applyBatch on postgres', () => {
  it('splits a long batch into transactions of maxBatchSize', async () => {
    const changes = batch(10, 3);
    const results = await store.applyBatch(changes);
    expect(results.map((r) => r.version)).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4]);
    expect(await appliedCount(changes)).toBe(10);
  });

  it('a failing change keeps the transactions before it and the changes before it in its own', async () => {
    const error = new Error('change 6 fails');
    const changes = batch(10, 3, [6], error);
    await expect(store.applyBatch(changes)).rejects.toBe(error);
    // Changes 0-3 committed as one transaction; 4 and 5 one by one after the second transaction failed.
    expect(await appliedCount(changes)).toBe(6);
  });

  it('applies a large batch with many changes per entity', async () => {
    const big = postgresStateStore({ pool: admin }, { schema, maxBatchSize: 5000 });
    const changes = batch(5000, 100);
    const started = performance.now();
    const results = await big.applyBatch(changes);
    const ms = performance.now() - started;
    expect(results.every((r) => r.status === 'applied')).toBe(true);
    expect(await big.get<number>(changes[99]!.entity)).toMatchObject({ state: 50, version: 50 });
    console.info(`applyBatch: 5000 changes on 100 entities in one transaction: ${ms.toFixed(0)} ms`);
  });
});
