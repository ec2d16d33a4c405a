import { z } from 'zod';

/** The options of `mongoStateStore`, all resolved. */
export interface ResolvedMongoOptions {
  /** Collection of the entity revisions; `init()` creates its index. @defaultValue 'lty_entity_revisions' */
  readonly collection: string;
  /** How long an applied event id is remembered for duplicate detection. @defaultValue 7 days */
  readonly dedupWindowMs: number;
  /**
   * How many event ids one entity remembers at most: the ids ride along in the latest revision document, so a
   * very busy entity forgets its oldest ones earlier than `dedupWindowMs`. @defaultValue 1000
   */
  readonly maxRememberedEventIds: number;
  /** How many latest revisions of an entity pruning keeps (1 or more; only the latest is ever read). @defaultValue 1 */
  readonly keepRevisions: number;
  /**
   * The writer of every n-th revision of an entity deletes its revisions older than the kept ones; 0 turns
   * automatic pruning off (then `pruneRevisions` does it on demand). @defaultValue 4
   */
  readonly pruneEveryRevisions: number;
  /**
   * Called when automatic pruning fails; the apply itself succeeded and the next prune catches up.
   * @defaultValue ignores the error
   */
  readonly onPruneError: (err: unknown) => void;
  /**
   * How many lost compare-and-set rounds one `apply` retries before giving up with a TransientError (only under
   * heavy contention on one entity). @defaultValue 200
   */
  readonly maxAttempts: number;
  /** How many distinct entities `applyBatch` writes at the same time. @defaultValue 8 */
  readonly batchConcurrency: number;
}

/** Options of `mongoStateStore`; every field is optional and falls back to {@link mongoStateStoreDefaults}. */
export type MongoStateStoreOptions = Partial<ResolvedMongoOptions>;

/** Defaults of {@link MongoStateStoreOptions}, frozen so no caller can change them for everyone. */
export const mongoStateStoreDefaults: Readonly<ResolvedMongoOptions> = Object.freeze({
  collection: 'lty_entity_revisions',
  dedupWindowMs: 7 * 24 * 60 * 60 * 1000,
  maxRememberedEventIds: 1000,
  keepRevisions: 1,
  pruneEveryRevisions: 4,
  onPruneError: () => {},
  maxAttempts: 200,
  batchConcurrency: 8,
});

export const mongoOptionsSchema: z.ZodType<ResolvedMongoOptions> = z
  .object({
    // MongoDB forbids '$' and the 'system.' prefix in collection names; FerretDB is stricter still.
    collection: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,119}$/, 'must be letters, digits, _ . or - (120 at most)')
      .refine((s) => !s.startsWith('system.'), "must not start with 'system.'"),
    dedupWindowMs: z.number().int().positive(),
    maxRememberedEventIds: z.number().int().positive().max(100_000),
    keepRevisions: z.number().int().min(1),
    pruneEveryRevisions: z.number().int().min(0),
    onPruneError: z.custom<(err: unknown) => void>((v) => typeof v === 'function', 'expected a function'),
    maxAttempts: z.number().int().positive(),
    batchConcurrency: z.number().int().positive(),
  })
  .strict();
