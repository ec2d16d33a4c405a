import { parseOptions } from '@listen-to-yourself/core/store-kit';
import type { Pool } from 'pg';
import { z } from 'zod';

/** How the store reaches Postgres: a pool you own, or connection settings for a pool the store owns. */
export type PostgresConnection =
  | { readonly pool: Pool }
  | {
      readonly connectionString: string;
      /** Largest number of connections of the store's own pool. @defaultValue 10 */
      readonly max?: number;
    };

/** The options of `postgresStateStore`, all resolved. */
export interface ResolvedPostgresOptions {
  /** Schema of the store's tables; `init()` creates it when missing. @defaultValue 'public' */
  readonly schema: string;
  /** Prefix of the table names: `<prefix>entities`, `<prefix>applied_events`, `<prefix>migrations`. @defaultValue 'lty_' */
  readonly tablePrefix: string;
  /** How long an applied event id is remembered for duplicate detection. @defaultValue 7 days */
  readonly dedupWindowMs: number;
  /** How often the store deletes event ids older than the window; 0 turns the timer off. @defaultValue 10 minutes */
  readonly dedupCleanupIntervalMs: number;
  /** Rows one cleanup DELETE removes at most (it loops until done), to keep transactions short. @defaultValue 10_000 */
  readonly dedupCleanupBatchSize: number;
  /** Changes `applyBatch` writes in one transaction; longer batches are split. @defaultValue 500 */
  readonly maxBatchSize: number;
  /**
   * Whether the apply path's statements are named (prepared once per connection, planned from then on without
   * being parsed again). Turn it off behind a pooler that cannot keep named statements across transactions
   * (PgBouncer in transaction mode before 1.21, or without `max_prepared_statements`). @defaultValue true
   */
  readonly preparedStatements: boolean;
  /** Called when the background cleanup fails; it runs again at the next interval. @defaultValue ignores the error */
  readonly onCleanupError: (err: unknown) => void;
}

/** Options of `postgresStateStore`; every field is optional and falls back to {@link postgresStateStoreDefaults}. */
export type PostgresStateStoreOptions = Partial<ResolvedPostgresOptions>;

/** Defaults of {@link PostgresStateStoreOptions}, frozen so no caller can change them for everyone. */
export const postgresStateStoreDefaults: Readonly<ResolvedPostgresOptions> = Object.freeze({
  schema: 'public',
  tablePrefix: 'lty_',
  dedupWindowMs: 7 * 24 * 60 * 60 * 1000,
  dedupCleanupIntervalMs: 10 * 60 * 1000,
  dedupCleanupBatchSize: 10_000,
  maxBatchSize: 500,
  preparedStatements: true,
  onCleanupError: () => {},
});

// Names are pasted into SQL (quoted), so they are kept to plain identifiers; 63 bytes is Postgres' limit, and the
// prefix leaves room for the longest derived name (`<prefix>applied_events_applied_at_idx`).
const schemaName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be an identifier: letters, digits, _');
const tablePrefix = z
  .string()
  .regex(/^([A-Za-z_][A-Za-z0-9_]{0,32})?$/, 'must be letters, digits or _ (33 at most)');

const isFunction = (v: unknown) => typeof v === 'function';
const poolShape = z.custom<Pool>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    ['connect', 'query', 'end'].every((m) => isFunction((v as never)[m])),
  'must be a pg Pool',
);

const schema = z
  .object({
    connection: z.union([
      z.object({ pool: poolShape }).strict(),
      z.object({ connectionString: z.string().min(1), max: z.number().int().positive().optional() }).strict(),
    ]),
    schema: schemaName,
    tablePrefix,
    dedupWindowMs: z.number().int().positive(),
    dedupCleanupIntervalMs: z.number().int().min(0),
    dedupCleanupBatchSize: z.number().int().positive(),
    maxBatchSize: z.number().int().positive().max(100_000),
    preparedStatements: z.boolean(),
    onCleanupError: z.custom<(err: unknown) => void>(isFunction, 'must be a function'),
  })
  .strict();

/** Merges options over the defaults and validates them with the connection, every problem at once (`ConfigError`). */
export function parsePostgresOptions(
  connection: PostgresConnection,
  options: PostgresStateStoreOptions = {},
): { connection: PostgresConnection; options: ResolvedPostgresOptions } {
  const { connection: parsed, ...resolved } = parseOptions(
    'postgresStateStore options',
    schema,
    postgresStateStoreDefaults,
    {
      ...(options ?? {}),
      connection,
    },
  );
  return { connection: parsed, options: resolved };
}
