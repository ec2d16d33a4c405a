import type { Pool } from 'pg';
import { quoteIdent, type PostgresTables } from './tables';
import { inTransaction } from './transaction';

/** One schema change. Versions only grow; a released migration is never edited, a new one is added instead. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: (tables: PostgresTables, prefix: string) => string;
}

/** Every migration of the store's schema, oldest first. */
export const migrations: readonly Migration[] = Object.freeze([
  {
    version: 1,
    name: 'entities and applied events',
    // Offsets and versions are bigint (Kafka offsets are int64); a new entity's row is created inside the apply
    // transaction with version 0, so committed rows always have version >= 1.
    sql: (t, prefix) => `
      CREATE TABLE ${t.entities} (
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        state jsonb NOT NULL,
        version bigint NOT NULL,
        position_topic text,
        position_partition integer,
        position_offset bigint,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (entity_type, entity_id)
      );
      CREATE TABLE ${t.appliedEvents} (
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        event_id text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (entity_type, entity_id, event_id)
      );
      CREATE INDEX ${quoteIdent(`${prefix}applied_events_applied_at_idx`)} ON ${t.appliedEvents} (applied_at);`,
  },
  {
    version: 2,
    name: 'outbox and refusals',
    // The outbox lives in the entity's row, so the apply transaction that writes the state writes it too; a
    // refusal's reason lives in the event's dedup row.
    sql: (t) => `
      ALTER TABLE ${t.entities} ADD COLUMN outbox jsonb NOT NULL DEFAULT '[]'::jsonb;
      ALTER TABLE ${t.appliedEvents} ADD COLUMN rejection text;`,
  },
]);

// First key of the two-key advisory lock ('LTY'), so that ours cannot meet an application's one-key locks.
const LOCK_CLASS = 0x4c5459;

/**
 * Brings the schema up to the latest migration. Safe to run from many instances at once: a transaction-scoped
 * advisory lock on (schema, prefix) serialises them, and DDL is transactional, so a failed migration leaves
 * nothing half done. Versions recorded by a newer release than this one are left alone.
 */
export async function migrate(
  pool: Pool,
  schema: string,
  prefix: string,
  tables: PostgresTables,
): Promise<number[]> {
  return inTransaction(pool, 'init', async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, `${schema}.${prefix}`]);
    // CREATE SCHEMA needs the CREATE privilege on the database even when the schema exists, so ask first.
    const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (found.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${tables.migrations} (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = await client.query<{ version: number }>(`SELECT version FROM ${tables.migrations}`);
    const applied = new Set(done.rows.map((r) => r.version));
    const ran: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql(tables, prefix));
      await client.query(`INSERT INTO ${tables.migrations} (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      ran.push(migration.version);
    }
    return ran;
  });
}
