import type { ApplyChange } from '@listen-to-yourself/core/store-kit';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresStateStore } from './postgres-state-store';
import { freshSchema, postgresUrl } from './test-helpers';

const { schema } = freshSchema('shared');
const pools: pg.Pool[] = [];
afterAll(() => Promise.all(pools.map((p) => p.end())));

/** A store on a pool of four connections that counts the server's ReadyForQuery messages (one per round trip). */
async function countingStore(tablePrefix: string, maxBatchSize?: number) {
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 4 });
  pools.push(pool);
  const trips = { count: 0 };
  pool.on('connect', (client) => {
    (client as unknown as { connection: pg.Connection }).connection.on('readyForQuery', () => trips.count++);
  });
  const store = postgresStateStore(
    { pool },
    { schema, tablePrefix, ...(maxBatchSize ? { maxBatchSize } : {}) },
  );
  await store.init();
  // Every connection is open before counting.
  await Promise.all([1, 2, 3, 4].map(() => pool.query('SELECT pg_sleep(0.05)')));
  return { store, trips };
}

const updates = new Map<string, number>();
const change = (id: string, offset: number, fail = false): ApplyChange<number> => ({
  entity: { type: 'shared', id },
  eventId: `${id}-${offset}`,
  position: { topic: 't', partition: 0, offset: String(offset) },
  update: (current) => {
    updates.set(`${id}-${offset}`, (updates.get(`${id}-${offset}`) ?? 0) + 1);
    if (fail) throw new Error(`refused by the reducer of ${id}`);
    return (current ?? 0) + 1;
  },
});

describe('applies of one turn share a transaction', () => {
  it('concurrent apply and applyBatch calls take the round trips of one transaction', async () => {
    const { store, trips } = await countingStore('s1_');
    const before = trips.count;
    const results = await Promise.all([
      store.applyBatch([change('a', 0), change('a', 1)]),
      store.apply(change('b', 0)),
      store.applyBatch([change('c', 0), change('d', 0), change('c', 1)]),
      store.apply(change('a', 1)), // the same record as the first call's second change, as a racing consumer
    ]);
    // BEGIN with the lock, the insert and the id read; the write with COMMIT.
    expect(trips.count - before).toBe(2);
    expect(results[0].map((r) => [r.status, r.version])).toEqual([
      ['applied', 1],
      ['applied', 2],
    ]);
    expect(results[1]).toMatchObject({ status: 'applied', version: 1 });
    expect(results[2].map((r) => [r.status, r.version])).toEqual([
      ['applied', 1],
      ['applied', 1],
      ['applied', 2],
    ]);
    expect(results[3]).toMatchObject({ status: 'duplicate', reason: 'position', version: 2 });
    expect(await store.get<number>({ type: 'shared', id: 'a' })).toMatchObject({ state: 2, version: 2 });
    expect(await store.get<number>({ type: 'shared', id: 'c' })).toMatchObject({ state: 2, version: 2 });
  });

  it("a change whose reducer throws fails its own call only, with its own error; the others' apply once", async () => {
    const { store } = await countingStore('s2_');
    const settled = await Promise.allSettled([
      store.applyBatch([change('e', 0), change('e', 1)]),
      store.applyBatch([change('f', 0), change('f', 1, true), change('f', 2)]),
      store.apply(change('g', 0, true)),
      store.apply(change('h', 0)),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(settled[1]).toMatchObject({ reason: { message: 'refused by the reducer of f' } });
    expect(settled[2]).toMatchObject({ reason: { message: 'refused by the reducer of g' } });
    // The batch call, applied change by change once its transaction failed, kept the change before the throw.
    expect(await store.get<number>({ type: 'shared', id: 'f' })).toMatchObject({ state: 1, version: 1 });
    expect(await store.get<number>({ type: 'shared', id: 'g' })).toBeUndefined();
    expect(await store.get<number>({ type: 'shared', id: 'e' })).toMatchObject({ state: 2, version: 2 });
    expect(await store.get<number>({ type: 'shared', id: 'h' })).toMatchObject({ state: 1, version: 1 });
    // A reducer may run again when a transaction it was in failed (e's ran before f's threw, h's never did);
    // what is stored counts it once.
    expect(updates.get('e-0')).toBe(2);
    expect(updates.get('h-0')).toBe(1);
  });

  it('a shared transaction stays within maxBatchSize, and a call of that size goes alone', async () => {
    const { store, trips } = await countingStore('s3_', 4);
    const before = trips.count;
    const results = await Promise.all([
      store.applyBatch([change('i', 0), change('j', 0)]),
      store.applyBatch([change('k', 0), change('l', 0)]),
      store.applyBatch([change('m', 0), change('n', 0)]),
      store.applyBatch([change('o', 0), change('o', 1), change('o', 2), change('o', 3)]),
    ]);
    // Three transactions of two round trips: i to l shared, m and n left over, the call of four on its own.
    expect(trips.count - before).toBe(6);
    expect(results.flat().every((r) => r.status === 'applied')).toBe(true);
    expect(await store.get<number>({ type: 'shared', id: 'o' })).toMatchObject({ state: 4, version: 4 });
  });
});
