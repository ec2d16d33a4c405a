import { parseOptions, runPerEntity } from '@listen-to-yourself/core/store-kit';
import type { ApplyChange, EntityRef, StateStore, StoredEntity } from '@listen-to-yourself/core/store-kit';
import { applyChange, markRelayed } from './apply-change';
import { openClient, type MongoConnection } from './connection';
import { toStoreError } from './errors';
import { mongoOptionsSchema, mongoStateStoreDefaults, type MongoStateStoreOptions } from './options';
import { pruneRevisions } from './prune';
import { readLatest } from './read-latest';
import { decodeIds, toPosition, type RevisionDoc } from './revision';
import type { StoreContext } from './store-context';

/** The Mongo store: a StateStore plus on-demand pruning. */
export interface MongoStateStore extends StateStore<undefined> {
  /**
   * Deletes an entity's old revisions, keeping its `keep` latest (default: the `keepRevisions` option), and
   * returns how many were deleted. Safe while other instances apply to the entity.
   */
  pruneRevisions(entity: EntityRef, keep?: number): Promise<number>;
}

/**
 * A StateStore on MongoDB or FerretDB (mongodb driver 6). Each applied change inserts a new revision document of
 * its entity; the unique `_id` of revision r+1 is the compare-and-set that makes "applied once" hold even on
 * FerretDB v1, where a conditional update is not atomic under concurrency. No transactions are used. `Tx` is
 * `undefined`. States are stored as BSON: they must be BSON-serialisable (no keys starting with `$`).
 */
export function mongoStateStore(
  connection: MongoConnection,
  options: MongoStateStoreOptions = {},
): MongoStateStore {
  const opts = parseOptions('mongoStateStore options', mongoOptionsSchema, mongoStateStoreDefaults, options);
  const { client, owned } = openClient(connection);
  const ctx: StoreContext = {
    revisions: client.db(connection.dbName).collection<RevisionDoc>(opts.collection),
    opts,
  };
  let closing: Promise<void> | undefined;

  const apply = <S>(change: ApplyChange<S, undefined>) => applyChange(ctx, change);
  return {
    name: 'mongo',
    async init() {
      try {
        // Serves the latest-revision read and the check above an insert on MongoDB; FerretDB v1 accepts it but
        // scans anyway.
        await ctx.revisions.createIndex({ t: 1, i: 1, r: -1 }, { name: 'lty_latest' });
      } catch (err) {
        throw toStoreError(err, 'init');
      }
    },
    apply,
    applyBatch: (changes) => runPerEntity(changes, opts.batchConcurrency, apply),
    async get<S>(entity: EntityRef): Promise<StoredEntity<S> | undefined> {
      const latest = await readLatest(ctx, entity);
      // Version 0: only refused events reached the entity; no state was ever applied.
      if (!latest || latest.v === 0) return undefined;
      return { state: latest.s as S, version: latest.v, position: toPosition(latest.p) };
    },
    markRelayed: (entity, ids) => (ids.length === 0 ? Promise.resolve() : markRelayed(ctx, entity, ids)),
    async rejectionOf(entity, eventId) {
      const found = decodeIds(await readLatest(ctx, entity)).find((x) => x.e === eventId);
      return found && Date.now() - found.at <= opts.dedupWindowMs ? found.x : undefined;
    },
    pruneRevisions: (entity, keep = opts.keepRevisions) => pruneRevisions(ctx, entity, Math.max(1, keep)),
    close() {
      closing ??= owned ? client.close() : Promise.resolve();
      return closing;
    },
  };
}
