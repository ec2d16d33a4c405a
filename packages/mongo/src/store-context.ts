import type { Collection } from 'mongodb';
import type { ResolvedMongoOptions } from './options';
import type { RevisionDoc } from './revision';

/** What the apply loop and pruning need from the store. */
export interface StoreContext {
  readonly revisions: Collection<RevisionDoc>;
  readonly opts: ResolvedMongoOptions;
}
