import { z } from 'zod';

/** The options of `cassandraStateStore`, all resolved. */
export interface ResolvedCassandraOptions {
  /** Keyspace of the state table; `init()` creates it. @defaultValue 'listen_to_yourself' */
  readonly keyspace: string;
  /** Table holding entity rows and their dedup markers. @defaultValue 'entity_state' */
  readonly table: string;
  /**
   * Replication of the keyspace when `init()` creates it (an existing keyspace is left as it is).
   * @defaultValue { class: 'SimpleStrategy', replication_factor: 1 }
   */
  readonly replication: Readonly<Record<string, string | number>>;
  /** How long an applied event id is remembered (the dedup markers' TTL). @defaultValue 7 days */
  readonly dedupTtlSeconds: number;
  /**
   * Consistency of plain reads (`get`) and of the commit phase of conditional writes. Use 'LOCAL_QUORUM' with
   * 'LOCAL_SERIAL' when each data center runs its own consumers of a partition. @defaultValue 'QUORUM'
   */
  readonly consistency: 'QUORUM' | 'LOCAL_QUORUM';
  /** Consistency of the Paxos phase of conditional writes and of the reads that decide. @defaultValue 'SERIAL' */
  readonly serialConsistency: 'SERIAL' | 'LOCAL_SERIAL';
  /**
   * How many lost compare-and-set rounds one `apply` retries before giving up with a TransientError (only under
   * heavy contention on one entity). @defaultValue 50
   */
  readonly maxCasAttempts: number;
  /** How many distinct entities `applyBatch` writes at the same time. @defaultValue 8 */
  readonly batchConcurrency: number;
}

/** Options of `cassandraStateStore`; every field is optional and falls back to {@link cassandraStateStoreDefaults}. */
export type CassandraStateStoreOptions = Partial<ResolvedCassandraOptions>;

/** Defaults of {@link CassandraStateStoreOptions}, frozen so no caller can change them for everyone. */
export const cassandraStateStoreDefaults: Readonly<ResolvedCassandraOptions> = Object.freeze({
  keyspace: 'listen_to_yourself',
  table: 'entity_state',
  replication: Object.freeze({ class: 'SimpleStrategy', replication_factor: 1 }),
  dedupTtlSeconds: 7 * 24 * 60 * 60,
  consistency: 'QUORUM',
  serialConsistency: 'SERIAL',
  maxCasAttempts: 50,
  batchConcurrency: 8,
});

// Names are pasted into CQL, so they are restricted to unquoted CQL identifiers (no injection, no quoting rules).
const identifier = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_]{0,47}$/,
    'must be a CQL identifier: a letter, then letters, digits or _ (48 at most)',
  );

export const cassandraOptionsSchema: z.ZodType<ResolvedCassandraOptions> = z
  .object({
    keyspace: identifier,
    table: identifier,
    replication: z
      .record(
        z.string().regex(/^[A-Za-z0-9_]+$/, 'replication keys are letters, digits or _'),
        z.union([z.string(), z.number()]),
      )
      .refine((r) => typeof r['class'] === 'string', 'replication needs a class'),
    // Cassandra caps TTLs at 20 years.
    dedupTtlSeconds: z.number().int().positive().max(630_720_000),
    consistency: z.enum(['QUORUM', 'LOCAL_QUORUM']),
    serialConsistency: z.enum(['SERIAL', 'LOCAL_SERIAL']),
    maxCasAttempts: z.number().int().positive(),
    batchConcurrency: z.number().int().positive(),
  })
  .strict();
