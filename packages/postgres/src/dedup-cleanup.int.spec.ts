import type { ApplyChange } from '@listen-to-yourself/core/store-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStateStore } from './postgres-state-store';
import { freshSchema } from './test-helpers';

const { schema, admin } = freshSchema('dedup');
const windowMs = 60 * 60 * 1000;
const store = postgresStateStore(
  { pool: admin },
  { schema, dedupWindowMs: windowMs, dedupCleanupBatchSize: 2 },
);
let run = 0;

beforeAll(() => store.init());
afterAll(() => store.close());

function change(id: string, n: number): ApplyChange<number> {
  return {
    entity: { type: 'dedup', id },
    eventId: `e${n}`,
    position: { topic: 'dedup', partition: 0, offset: String(n) },
    update: (current) => (current ?? 0) + 1,
  };
}

/** Applies events 1..n to a new entity and returns its id. */
async function entityWith(n: number): Promise<string> {
  const id = `entity-${run++}`;
  await store.applyBatch(Array.from({ length: n }, (_, i) => change(id, i + 1)));
  return id;
}

/** Moves the given event ids' timestamps to just past the window, as if they were applied long ago. */
async function age(id: string, eventIds: string[]): Promise<void> {
  await admin.query(
    `UPDATE ${store.tables.appliedEvents} SET applied_at = now() - $3::float8 * interval '1 millisecond' - interval '1 second'
     WHERE entity_id = $1 AND event_id = ANY($2::text[])`,
    [id, eventIds, windowMs],
  );
}

async function remembered(id: string): Promise<string[]> {
  const { rows } = await admin.query<{ event_id: string }>(
    `SELECT event_id FROM ${store.tables.appliedEvents} WHERE entity_id = $1 ORDER BY event_id`,
    [id],
  );
  return rows.map((r) => r.event_id);
}

describe('dedup window and cleanup', () => {
  it('removes only the expired event ids, in batches', async () => {
    const old = await entityWith(5);
    const fresh = await entityWith(2);
    await age(old, ['e1', 'e2', 'e3', 'e4']);
    // 4 expired rows with a batch size of 2: the cleanup loops until a DELETE finds fewer than 2.
    expect(await store.cleanupDedup()).toBe(4);
    expect(await remembered(old)).toEqual(['e5']);
    expect(await remembered(fresh)).toEqual(['e1', 'e2']);
    expect(await store.cleanupDedup()).toBe(0);
  });

  it('an expired event id is no longer a duplicate, cleaned up or not', async () => {
    const id = await entityWith(3);
    await age(id, ['e1', 'e2']);
    await store.cleanupDedup();
    const retriedE1 = { ...change(id, 1), position: { topic: 'dedup', partition: 0, offset: '10' } };
    expect(await store.apply(retriedE1)).toMatchObject({ status: 'applied', version: 4 });

    // e3 expired but still in the table: applying it refreshes its timestamp instead of failing on the key.
    await age(id, ['e3']);
    const retriedE3 = { ...change(id, 3), position: { topic: 'dedup', partition: 0, offset: '11' } };
    expect(await store.apply(retriedE3)).toMatchObject({ status: 'applied', version: 5 });
    expect(
      await store.apply({ ...retriedE3, position: { ...retriedE3.position, offset: '12' } }),
    ).toMatchObject({
      status: 'duplicate',
      reason: 'event-id',
    });
  });

  it('runs in the background every dedupCleanupIntervalMs, and reports its failures', async () => {
    const errors: unknown[] = [];
    const timed = postgresStateStore(
      { pool: admin },
      {
        schema,
        tablePrefix: 'timed_',
        dedupWindowMs: windowMs,
        dedupCleanupIntervalMs: 50,
        onCleanupError: (e) => errors.push(e),
      },
    );
    await timed.init();
    try {
      const id = `timed-${run++}`;
      await timed.apply(change(id, 1));
      await admin.query(`UPDATE ${timed.tables.appliedEvents} SET applied_at = now() - interval '2 hours'`);
      await expect
        .poll(async () => (await admin.query(`SELECT 1 FROM ${timed.tables.appliedEvents}`)).rowCount)
        .toBe(0);

      await admin.query(`DROP TABLE ${timed.tables.appliedEvents}`);
      await expect.poll(() => errors.length).toBeGreaterThan(0);
      expect(errors[0]).toMatchObject({ code: '42P01' });
    } finally {
      await timed.close();
    }
  });
});
