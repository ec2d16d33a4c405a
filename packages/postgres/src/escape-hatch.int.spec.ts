import type { ApplyChange } from '@listen-to-yourself/core/store-kit';
import type { PoolClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStateStore } from './postgres-state-store';
import { freshSchema } from './test-helpers';

const { schema, admin } = freshSchema('hatch');
const store = postgresStateStore({ pool: admin }, { schema });
const audit = `"${schema}".audit`;
let run = 0;

beforeAll(async () => {
  await store.init();
  await admin.query(`CREATE TABLE ${audit} (event_id text PRIMARY KEY)`);
});
afterAll(() => store.close());

/** A change whose handler writes an audit row through the transaction, then optionally fails. */
function audited(
  entityId: string,
  eventId: string,
  offset: number,
  fail?: Error,
): ApplyChange<number, PoolClient> {
  return {
    entity: { type: 'hatch', id: entityId },
    eventId,
    position: { topic: 'hatch', partition: 0, offset: String(offset) },
    update: async (current, tx) => {
      await tx.query(`INSERT INTO ${audit} (event_id) VALUES ($1)`, [eventId]);
      if (fail) throw fail;
      return (current ?? 0) + 1;
    },
  };
}

async function auditRows(prefix: string): Promise<string[]> {
  const { rows } = await admin.query<{ event_id: string }>(
    `SELECT event_id FROM ${audit} WHERE event_id LIKE $1 ORDER BY event_id`,
    [`${prefix}%`],
  );
  return rows.map((r) => r.event_id);
}

describe('the escape hatch: update gets the transaction client', () => {
  it("commits the handler's own SQL with the state and the dedup row", async () => {
    const id = `ok-${run++}`;
    expect(await store.apply(audited(id, `${id}-e1`, 1))).toMatchObject({ status: 'applied', state: 1 });
    expect(await auditRows(id)).toEqual([`${id}-e1`]);
    // A duplicate does not call update, so the handler's SQL does not run twice.
    expect(await store.apply(audited(id, `${id}-e1`, 2))).toMatchObject({
      status: 'duplicate',
      reason: 'event-id',
    });
    expect(await auditRows(id)).toEqual([`${id}-e1`]);
  });

  it("rolls the handler's SQL back when update throws after it", async () => {
    const id = `fail-${run++}`;
    const error = new Error('after the insert');
    await expect(store.apply(audited(id, `${id}-e1`, 1, error))).rejects.toBe(error);
    expect(await auditRows(id)).toEqual([]);
    expect(await store.get({ type: 'hatch', id })).toBeUndefined();
  });

  it("passes a pg error from the handler's own SQL through as it is", async () => {
    const change: ApplyChange<number, PoolClient> = {
      ...audited(`sql-${run++}`, 'e1', 1),
      update: async (_, tx) => {
        await tx.query('SELEC 1');
        return 1;
      },
    };
    await expect(store.apply(change)).rejects.toMatchObject({ code: '42601', name: 'error' });
  });

  it('in a batch, keeps each change before the failing one once and rolls back the rest', async () => {
    const id = `batch-${run++}`;
    const error = new Error('third change fails');
    const changes = [1, 2, 3, 4].map((n) =>
      audited(`${id}-${n % 2}`, `${id}-e${n}`, n, n === 3 ? error : undefined),
    );
    await expect(store.applyBatch(changes)).rejects.toBe(error);
    expect(await auditRows(id)).toEqual([`${id}-e1`, `${id}-e2`]);

    const fixed = [1, 2, 3, 4].map((n) => audited(`${id}-${n % 2}`, `${id}-e${n}`, n));
    const results = await store.applyBatch(fixed);
    expect(results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'applied', 'applied']);
    expect(await auditRows(id)).toEqual([1, 2, 3, 4].map((n) => `${id}-e${n}`));
  });
});
