import type { EntityRef } from '@listen-to-yourself/core/store-kit';
import { toStoreError } from './errors';
import { readLatest } from './read-latest';
import { entityFilter, type RevisionDoc } from './revision';
import type { StoreContext } from './store-context';

/**
 * Deletes an entity's revisions below its `keep` latest ones and returns how many went. Safe at any time, from
 * any instance: the latest revision is never deleted (it holds the state and the remembered event ids), and a
 * writer whose insert lands in the gap this leaves notices and retries (see `builtOnLatest`).
 */
export async function pruneRevisions(ctx: StoreContext, entity: EntityRef, keep: number): Promise<number> {
  const latest = await readLatest(ctx, entity);
  if (!latest || latest.r <= keep) return 0;
  try {
    const result = await ctx.revisions.deleteMany({ ...entityFilter(entity), r: { $lte: latest.r - keep } });
    return result.deletedCount;
  } catch (err) {
    throw toStoreError(err, 'prune');
  }
}

/**
 * Called by the writer of each revision: every `pruneEveryRevisions`-th one deletes the revisions below the kept
 * ones. Its failure does not fail the apply (the write is done); the next prune catches up.
 */
export async function pruneAfterWrite(ctx: StoreContext, doc: RevisionDoc): Promise<void> {
  const { pruneEveryRevisions: every, keepRevisions: keep, onPruneError } = ctx.opts;
  if (every === 0 || doc.r % every !== 0 || doc.r <= keep) return;
  try {
    await ctx.revisions.deleteMany({ t: doc.t, i: doc.i, r: { $lte: doc.r - keep } });
  } catch (err) {
    onPruneError(err);
  }
}
