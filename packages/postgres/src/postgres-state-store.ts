import type {
  ApplyChange,
  ApplyResult,
  EntityRef,
  StateStore,
  StoredEntity,
} from '@listen-to-yourself/core/store-kit';
import pg, { type Pool, type PoolClient } from 'pg';
import { applyChanges } from './apply-changes';
import { inApplyTransaction } from './apply-transaction';
import { deleteExpiredEventIds, startCleanupTimer, type CleanupTimer } from './dedup-cleanup';
import { migrate } from './migrations';
import { rejectionOf, relayMarker } from './outbox';
import { parsePostgresOptions, type PostgresConnection, type PostgresStateStoreOptions } from './options';
import { positionOf, type PositionColumns } from './position-columns';
import { sharedTransactions } from './shared-transactions';
import { statements } from './statements';
import { tableNames, type PostgresTables } from './tables';
import { poolQuery } from './transaction';

/**
 * The Postgres state store. Its transaction handle is the `pg` client of the apply transaction: a change's
 * `update(current, client)` may run its own SQL there, committed or rolled back with the state and dedup rows.
 */
export interface PostgresStateStore extends StateStore<PoolClient> {
  /** The pool the store uses, for your own queries (read models, reports). Yours if you passed it in. */
  readonly pool: Pool;
  /** The qualified, quoted table names, for your own queries. */
  readonly tables: PostgresTables;
  /** Deletes event ids older than the dedup window now; returns how many rows went. */
  cleanupDedup(): Promise<number>;
}

interface EntityRow extends PositionColumns {
  state: string;
  version: string;
}

/**
 * Creates a state store on PostgreSQL. Pass `{ pool }` to share your pool (the store never ends it), or
 * `{ connectionString, max? }` for a pool the store owns and `close()` ends. Call `init()` once per process
 * before use: it creates or migrates the tables.
 */
export function postgresStateStore(
  connection: PostgresConnection,
  options: PostgresStateStoreOptions = {},
): PostgresStateStore {
  const { connection: conn, options: opts } = parsePostgresOptions(connection, options);
  const owned = !('pool' in conn);
  const pool: Pool =
    'pool' in conn
      ? conn.pool
      : new pg.Pool({ connectionString: conn.connectionString, max: conn.max ?? 10 });
  // An idle client of our own pool that loses its connection emits 'error' on the pool; unhandled, that would
  // crash the process. The pool drops that client; the next checkout opens a new one.
  if (owned) pool.on('error', () => {});
  const tables = tableNames(opts.schema, opts.tablePrefix);
  const statement = statements(opts.preparedStatements);
  let cleanup: CleanupTimer | undefined;
  let closing: Promise<void> | undefined;

  const cleanupDedup = () =>
    deleteExpiredEventIds(pool, tables, opts.dedupWindowMs, opts.dedupCleanupBatchSize);

  async function applyOne<S>(change: ApplyChange<S, PoolClient>): Promise<ApplyResult<S>> {
    const [result] = await inApplyTransaction(pool, 'apply', statement, (tx) =>
      applyChanges(tx, tables, statement, [change], opts.dedupWindowMs),
    );
    return result!;
  }

  async function applyChunk<S>(chunk: readonly ApplyChange<S, PoolClient>[]): Promise<ApplyResult<S>[]> {
    if (chunk.length === 1) return [await applyOne(chunk[0]!)];
    try {
      return await inApplyTransaction(pool, 'applyBatch', statement, (tx) =>
        applyChanges(tx, tables, statement, chunk, opts.dedupWindowMs),
      );
    } catch {
      // One change failed the whole transaction. Apply them one by one: the changes before it are kept and the
      // failing change throws its own error (an update's error as it is, a fault as TransientError).
      const results: ApplyResult<S>[] = [];
      for (const change of chunk) results.push(await applyOne(change));
      return results;
    }
  }

  async function applyInChunks<S>(changes: readonly ApplyChange<S, PoolClient>[]): Promise<ApplyResult<S>[]> {
    const results: ApplyResult<S>[] = [];
    for (let i = 0; i < changes.length; i += opts.maxBatchSize) {
      results.push(...(await applyChunk(changes.slice(i, i + opts.maxBatchSize))));
    }
    return results;
  }

  type AnyChange = ApplyChange<unknown, PoolClient>;
  const submit = sharedTransactions<AnyChange, ApplyResult<unknown>>(
    (changes) =>
      inApplyTransaction(pool, 'applyBatch', statement, (tx) =>
        applyChanges(tx, tables, statement, changes, opts.dedupWindowMs),
      ),
    opts.maxBatchSize,
  );
  // The store's calls are generic in the state; a shared transaction holds changes of several states.
  const shared = <S>(
    changes: readonly ApplyChange<S, PoolClient>[],
    alone: () => Promise<ApplyResult<S>[]>,
  ): Promise<ApplyResult<S>[]> => submit(changes as readonly AnyChange[], alone) as Promise<ApplyResult<S>[]>;

  return {
    name: 'postgres',
    pool,
    tables,
    cleanupDedup,

    async init() {
      await migrate(pool, opts.schema, opts.tablePrefix, tables);
      if (!cleanup && !closing && opts.dedupCleanupIntervalMs > 0) {
        cleanup = startCleanupTimer(opts.dedupCleanupIntervalMs, cleanupDedup, opts.onCleanupError);
      }
    },

    async apply<S>(change: ApplyChange<S, PoolClient>): Promise<ApplyResult<S>> {
      const [result] = await shared([change], async () => [await applyOne(change)]);
      return result!;
    },

    async applyBatch<S>(changes: readonly ApplyChange<S, PoolClient>[]): Promise<ApplyResult<S>[]> {
      if (changes.length === 0) return [];
      return shared(changes, () => applyInChunks(changes));
    },

    async get<S>(entity: EntityRef): Promise<StoredEntity<S> | undefined> {
      const { rows } = await poolQuery<EntityRow>(
        pool,
        'get',
        `SELECT state::text AS state, version::text AS version, position_topic, position_partition,
                position_offset::text AS position_offset
         FROM ${tables.entities} WHERE entity_type = $1 AND entity_id = $2 AND version > 0`,
        [entity.type, entity.id],
      );
      const row = rows[0];
      if (!row) return undefined;
      return { state: JSON.parse(row.state) as S, version: Number(row.version), position: positionOf(row) };
    },

    markRelayed: relayMarker(pool, tables),
    rejectionOf: (entity, eventId) => rejectionOf(pool, tables, opts.dedupWindowMs, entity, eventId),

    close() {
      closing ??= (async () => {
        await cleanup?.stop();
        if (owned) await pool.end();
      })();
      return closing;
    },
  };
}
