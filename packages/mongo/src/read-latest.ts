import type { EntityRef } from '@listen-to-yourself/core/store-kit';
import { toStoreError } from './errors';
import { entityFilter, type RevisionDoc } from './revision';
import type { StoreContext } from './store-context';

/**
 * The entity's latest revision, or null for a new entity. On MongoDB the `lty_latest` index answers it; FerretDB v1
 * scans the collection (it uses no index for queries), which is why pruning keeps the collection small.
 */
export async function readLatest(ctx: StoreContext, entity: EntityRef): Promise<RevisionDoc | null> {
  try {
    return await ctx.revisions.find(entityFilter(entity)).sort({ r: -1 }).limit(1).next();
  } catch (err) {
    throw toStoreError(err, 'read');
  }
}
