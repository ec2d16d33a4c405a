import { isLtyError } from '@listen-to-yourself/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from './migrations';
import { postgresStateStore, type PostgresStateStore } from './postgres-state-store';
import { freshSchema, postgresUrl } from './test-helpers';

const { schema, admin } = freshSchema('lifecycle');
const opened: PostgresStateStore[] = [];
afterAll(async () => {
  for (const store of opened) await store.close();
});

function open(prefix: string, pool?: pg.Pool): PostgresStateStore {
  const store = postgresStateStore(pool ? { pool } : { connectionString: postgresUrl, max: 2 }, {
    schema,
    tablePrefix: prefix,
  });
  opened.push(store);
  return store;
}

const change = (n: number) => ({
  entity: { type: 'life', id: 'one' },
  eventId: `e${n}`,
  position: { topic: 'life', partition: 0, offset: String(n) },
  update: (current: number | undefined) => (current ?? 0) + 1,
});

describe('init and migrations', () => {
  it('eight instances initialising a new schema at once create it once', async () => {
    const stores = Array.from({ length: 8 }, () => open('race_'));
    await Promise.all(stores.map((s) => s.init()));
    const { rows } = await admin.query<{ version: number }>(
      `SELECT version FROM ${stores[0]!.tables.migrations}`,
    );
    expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
    const tables = await admin.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name LIKE 'race\\_%' ORDER BY 1`,
      [schema],
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual([
      'race_applied_events',
      'race_entities',
      'race_migrations',
    ]);
  });

  it('keeps stores with different table prefixes in one schema apart', async () => {
    const a = open('a_');
    const b = open('b_');
    await Promise.all([a.init(), b.init()]);
    await a.apply(change(1));
    expect(await b.apply(change(1))).toMatchObject({ status: 'applied', version: 1 });
    await a.apply(change(2));
    expect((await a.get(change(1).entity))?.version).toBe(2);
    expect((await b.get(change(1).entity))?.version).toBe(1);
  });

  it('leaves alone a migration recorded by a newer release', async () => {
    const store = open('newer_');
    await store.init();
    await admin.query(
      `INSERT INTO ${store.tables.migrations} (version, name) VALUES (999, 'from the future')`,
    );
    await store.init();
    expect(await store.apply(change(1))).toMatchObject({ status: 'applied' });
  });
});

describe('close', () => {
  it("leaves the user's pool open", async () => {
    const pool = new pg.Pool({ connectionString: postgresUrl, max: 2 });
    try {
      const store = open('own_', pool);
      await store.init();
      await store.apply(change(1));
      await store.close();
      expect(store.pool).toBe(pool);
      expect(pool.ending).toBe(false);
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('ends the pool it created; later calls fail without claiming to be transient', async () => {
    const store = open('owned_');
    await store.init();
    await store.close();
    expect(store.pool.ending).toBe(true);
    const err: unknown = await store.apply(change(1)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(isLtyError(err, 'LTY_TRANSIENT')).toBe(false);
  });
});
