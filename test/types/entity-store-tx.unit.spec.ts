import pg, { type PoolClient } from 'pg';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { cassandraStateStore } from '../../packages/cassandra/src/index';
import {
  createService,
  defineEntity,
  defineEvent,
  inMemoryStateStore,
  inMemoryTransport,
  type TxOf,
} from '../../packages/core/src/index';
import { postgresStateStore, type PostgresStateStore } from '../../packages/postgres/src/index';

// Type tests: `pnpm typecheck` compiles this file, so each `@ts-expect-error` must meet an error and each
// `expectTypeOf` must hold. No server is reached: the stores are made, never initialised.
const movement = { schema: z.object({ account: z.string(), amountCents: z.number().int() }) };
const Deposited = defineEvent({ type: 'ledger.Deposited', ...movement, key: (e) => e.account });
const Withdrawn = defineEvent({ type: 'ledger.Withdrawn', ...movement, key: (e) => e.account });
const options = { name: 'ledger', transport: inMemoryTransport() };
const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
const postgres = postgresStateStore({ pool });
type CassandraStateStore = ReturnType<typeof cassandraStateStore>;

describe('ctx.tx is the type of the store the entity is written for', () => {
  it('is PoolClient in a reducer of a Postgres entity, with no annotation', async () => {
    expectTypeOf<TxOf<typeof postgres>>().toEqualTypeOf<PoolClient>();
    const entity = defineEntity.withStore<typeof postgres>();
    const Balance = entity<number>('balance').on(Deposited, async (s, e, ctx) => {
      expectTypeOf(ctx.tx).toEqualTypeOf<PoolClient>();
      expectTypeOf(s).toEqualTypeOf<number | undefined>();
      await ctx.tx.query('select 1');
      return (s ?? 0) + e.payload.amountCents;
    });
    // With an initial state the reducer sees the state, not undefined.
    const Counted = defineEntity
      .withStore<PostgresStateStore>()('counted', { initial: () => 0 })
      .on(Withdrawn, (s, _e, { tx }) => {
        expectTypeOf(tx).toEqualTypeOf<PoolClient>();
        expectTypeOf(s).toEqualTypeOf<number>();
        return s + 1;
      });
    const service = createService({ ...options, store: postgres, entities: [Balance, Counted] });
    expect([...Balance.handlers, ...Counted.handlers].map((h) => h.entity)).toEqual(['balance', 'counted']);
    await service.stop();
    await pool.end();
  });

  it('does not compile an entity of one store given to a service on another', () => {
    const OnCassandra = defineEntity
      .withStore<CassandraStateStore>()<number>('balance')
      .on(Deposited, (s, e, ctx) => {
        expectTypeOf(ctx.tx).toEqualTypeOf<undefined>();
        return (s ?? 0) + e.payload.amountCents;
      });
    const OnPostgres = defineEntity
      .withStore<PostgresStateStore>()<number>('balance')
      .on(Deposited, (s) => s ?? 0);
    const Plain = defineEntity<number>('balance').on(Deposited, (s, _e, ctx) => {
      expectTypeOf(ctx.tx).toEqualTypeOf<unknown>();
      return s ?? 0;
    });
    const wrong = () => [
      // @ts-expect-error a reducer written for Cassandra's tx cannot run on a Postgres store
      createService({ ...options, store: postgres, entities: [OnCassandra] }),
      // @ts-expect-error nor one written for a PoolClient on the in-memory store
      createService({ ...options, store: inMemoryStateStore(), entities: [OnPostgres] }),
      // An entity that never names a store fits every store.
      createService({ ...options, store: postgres, entities: [Plain] }),
      createService({ ...options, store: inMemoryStateStore(), entities: [Plain] }),
    ];
    expect(typeof wrong).toBe('function');
  });
});
