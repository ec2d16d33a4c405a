import type { ApplyChange } from '@listen-to-yourself/core/store-kit';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresStateStore } from './postgres-state-store';
import { freshSchema, postgresUrl } from './test-helpers';

const { schema } = freshSchema('prepared');
const pools: pg.Pool[] = [];
afterAll(() => Promise.all(pools.map((p) => p.end())));

/** A store on a pool of one connection, so that the statements it prepared are those of that connection. */
async function storeOnOneConnection(preparedStatements: boolean, tablePrefix: string) {
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 1 });
  pools.push(pool);
  const store = postgresStateStore({ pool }, { schema, tablePrefix, preparedStatements });
  await store.init();
  return store;
}

const change = (id: string, offset: number): ApplyChange<number> => ({
  entity: { type: 'prepared', id },
  eventId: `${id}-${offset}`,
  position: { topic: 't', partition: 0, offset: String(offset) },
  update: (current) => (current ?? 0) + 1,
});

const preparedNames = async (pool: pg.Pool) =>
  (await pool.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')).rows.map(
    (r) => r.name,
  );

describe('prepared statements on the apply path', () => {
  it('are prepared once per connection and reused by later applies', async () => {
    const store = await storeOnOneConnection(true, 'p1_');
    await store.applyBatch([change('a', 0), change('b', 1)]);
    // BEGIN, lock, create, id check, write and COMMIT, all sent by the first transaction.
    const first = await preparedNames(store.pool);
    expect(first).toHaveLength(6);
    expect(first.every((n) => n.startsWith('lty_'))).toBe(true);
    await store.applyBatch([change('a', 2), change('b', 3)]);
    await store.apply(change('a', 4));
    // Reused, not prepared again.
    expect(await preparedNames(store.pool)).toEqual(first);
    expect(await store.get<number>({ type: 'prepared', id: 'a' })).toMatchObject({ state: 3, version: 3 });
  });

  it('two stores on different tables use statements of their own on one connection', async () => {
    const one = await storeOnOneConnection(true, 'p2_');
    const other = postgresStateStore({ pool: one.pool }, { schema, tablePrefix: 'p3_' });
    await other.init();
    await one.apply(change('c', 0));
    await other.apply(change('c', 0));
    // Four of each store's own; BEGIN and COMMIT, the same text for both, are shared.
    expect(await preparedNames(one.pool)).toHaveLength(10);
    expect(await other.get<number>({ type: 'prepared', id: 'c' })).toMatchObject({ state: 1 });
  });

  it('are not used with preparedStatements false', async () => {
    const store = await storeOnOneConnection(false, 'p4_');
    await store.applyBatch([change('d', 0), change('d', 1)]);
    await store.apply(change('d', 2));
    expect(await preparedNames(store.pool)).toEqual([]);
    expect(await store.get<number>({ type: 'prepared', id: 'd' })).toMatchObject({ state: 3, version: 3 });
  });
});
