import { isLtyError } from '@listen-to-yourself/core';
import type { ApplyChange } from '@listen-to-yourself/core/store-kit';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresStateStore } from './postgres-state-store';
import { freshSchema, postgresUrl } from './test-helpers';

const { schema, admin } = freshSchema('trips');
const pools: pg.Pool[] = [];
afterAll(() => Promise.all(pools.map((p) => p.end())));

/**
 * A store on a pool of one connection that counts the server's ReadyForQuery messages: one ends every round
 * trip, whatever the round trip carried.
 */
async function countingStore(preparedStatements: boolean, tablePrefix: string, options: pg.PoolConfig = {}) {
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 1, ...options });
  pools.push(pool);
  const trips = { count: 0 };
  pool.on('connect', (client) => {
    (client as unknown as { connection: pg.Connection }).connection.on('readyForQuery', () => trips.count++);
  });
  const store = postgresStateStore({ pool }, { schema, tablePrefix, preparedStatements });
  await store.init();
  const measure = async <T>(run: () => Promise<T>) => {
    await pool.query('SELECT 1'); // the connection is open before counting
    const before = trips.count;
    const result = await run();
    return { result, trips: trips.count - before };
  };
  return { store, measure, pool };
}

const change = (id: string, offset: number, eventId = `${id}-${offset}`): ApplyChange<number> => ({
  entity: { type: 'trips', id },
  eventId,
  position: { topic: 't', partition: 0, offset: String(offset) },
  update: (current) => (current ?? 0) + 1,
});

describe('round trips of an apply', () => {
  for (const prepared of [true, false]) {
    it(`two per apply, new entity, existing entity or duplicate (preparedStatements ${prepared})`, async () => {
      const { store, measure } = await countingStore(prepared, prepared ? 'r1_' : 'r2_');
      for (let round = 0; round < 2; round++) {
        const id = `a${round}`;
        const created = await measure(() => store.apply(change(id, 0)));
        expect(created).toMatchObject({ trips: 2, result: { status: 'applied', version: 1 } });
        const updated = await measure(() => store.apply(change(id, 1)));
        expect(updated).toMatchObject({ trips: 2, result: { status: 'applied', version: 2 } });
        const byPosition = await measure(() => store.apply(change(id, 1)));
        expect(byPosition).toMatchObject({ trips: 2, result: { status: 'duplicate', reason: 'position' } });
        const byId = await measure(() => store.apply(change(id, 5, `${id}-1`)));
        expect(byId).toMatchObject({ trips: 2, result: { status: 'duplicate', reason: 'event-id' } });
        const batch = await measure(() => store.applyBatch([change(id, 6), change(`b${round}`, 0)]));
        expect(batch.trips).toBe(2);
        expect(batch.result.map((r) => r.status)).toEqual(['applied', 'applied']);
      }
      expect(await store.get<number>({ type: 'trips', id: 'a1' })).toMatchObject({ state: 3, version: 3 });
    });
  }

  it('a batch of more than 16 changes waits for the lock before inserting and reading ids', async () => {
    const { store, measure } = await countingStore(true, 'r6_');
    const batch = (from: number) => Array.from({ length: 20 }, (_, i) => change(`big${i % 10}`, from + i));
    // New entities: BEGIN and lock; the insert of the missing ones; the write and COMMIT.
    expect((await measure(() => store.applyBatch(batch(0)))).trips).toBe(3);
    // Existing ones: BEGIN and lock; the id read; the write and COMMIT.
    const next = await measure(() => store.applyBatch(batch(20)));
    expect(next.trips).toBe(3);
    expect(next.result.every((r) => r.status === 'applied')).toBe(true);
    // All duplicates by position: BEGIN and lock; COMMIT.
    const again = await measure(() => store.applyBatch(batch(20)));
    expect(again.trips).toBe(2);
    expect(again.result.every((r) => r.status === 'duplicate')).toBe(true);
    expect(await store.get<number>({ type: 'trips', id: 'big3' })).toMatchObject({ state: 4, version: 4 });
  });

  it("applies on a pool in pg's pipeline mode, where pg sends the queued statements itself", async () => {
    const { store } = await countingStore(true, 'r5_', { pipeline: true });
    expect(await store.apply(change('p', 0))).toMatchObject({ status: 'applied', version: 1 });
    expect(await store.apply(change('p', 1))).toMatchObject({ status: 'applied', version: 2 });
    expect(await store.apply(change('p', 1))).toMatchObject({ status: 'duplicate', reason: 'position' });
    expect(await store.apply(change('p', 4, 'p-0'))).toMatchObject({
      status: 'duplicate',
      reason: 'event-id',
    });
    const batch = await store.applyBatch([change('p', 5), change('q', 0), change('p', 6)]);
    expect(batch.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await store.get<number>({ type: 'trips', id: 'p' })).toMatchObject({ state: 4, version: 4 });
  });

  it('a failed first apply on a connection leaves no statement counted as prepared that is not', async () => {
    // The lock statement times out, so the server skips the Parse of every statement sent after it.
    const { store } = await countingStore(true, 'r3_', { options: '-c lock_timeout=200' });
    const tables = store.tables;
    // The row exists, written through another pool: this store's connection has prepared nothing yet.
    await postgresStateStore({ pool: admin }, { schema, tablePrefix: 'r3_' }).apply(change('held', 0));
    const holder = await admin.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM ${tables.entities} WHERE entity_id = 'held' FOR UPDATE`);
      const failed = await store.apply(change('held', 1)).then(
        () => 'applied',
        (err: unknown) => (isLtyError(err, 'LTY_TRANSIENT') ? 'transient' : String(err)),
      );
      expect(failed).toBe('transient');
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    expect(await store.apply(change('held', 1))).toMatchObject({ status: 'applied', version: 2 });
    expect(await store.apply(change('other', 0))).toMatchObject({ status: 'applied', version: 1 });
  });

  it('an entity another transaction created while the apply waited is locked and its ids read again', async () => {
    const appName = `lty-trips-lost-${process.pid}`;
    const { store } = await countingStore(true, 'r4_', { application_name: appName });
    const t = store.tables;
    const creator = await admin.connect();
    const applier = await admin.connect();
    // Until the store's connection waits on a lock held by `pid`.
    const blockedBy = async (pid: number) => {
      const sql = `SELECT count(*)::int AS n FROM pg_stat_activity
                   WHERE application_name = $1 AND $2::int = ANY(pg_blocking_pids(pid))`;
      while ((await admin.query<{ n: number }>(sql, [appName, pid])).rows[0]!.n === 0) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    try {
      const pidOf = async (c: pg.PoolClient) =>
        (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const [creatorPid, applierPid] = [await pidOf(creator), await pidOf(applier)];
      // The creator inserts the row; the applier (which locks the row without changing it) and the store both
      // wait on that insert.
      await creator.query('BEGIN');
      await creator.query(
        `INSERT INTO ${t.entities} (entity_type, entity_id, state, version) VALUES ('trips', 'x', '1', 1)`,
      );
      await applier.query('BEGIN');
      const locking = applier.query(
        `INSERT INTO ${t.entities} (entity_type, entity_id, state, version) VALUES ('trips', 'x', '1', 1)
         ON CONFLICT (entity_type, entity_id) DO UPDATE SET version = excluded.version WHERE false`,
      );
      const applying = store.apply(change('x', 7, 'e1'));
      await blockedBy(creatorPid);
      await creator.query('COMMIT');
      // The applier now holds the row; the store read the ids and waits to lock the row it could not create.
      await locking;
      await blockedBy(applierPid);
      await applier.query(
        `INSERT INTO ${t.appliedEvents} (entity_type, entity_id, event_id, applied_at) VALUES ('trips', 'x', 'e1', now())`,
      );
      await applier.query('COMMIT');
      expect(await applying).toMatchObject({ status: 'duplicate', reason: 'event-id' });
    } finally {
      await creator.query('ROLLBACK').catch(() => {});
      await applier.query('ROLLBACK').catch(() => {});
      creator.release();
      applier.release();
    }
  });
});
