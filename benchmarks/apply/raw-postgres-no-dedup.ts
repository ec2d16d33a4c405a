// The hand-written baseline WITHOUT idempotency, for benchmarks/apply/dedup.ts: the transaction of
// raw-postgres.ts minus everything dedup costs (no read of applied event ids, no insert of them, no position
// check nor position columns written). Plain lock-read-reduce-write: a redelivered event is applied twice.
import type pg from 'pg';
import { reduce, type Account, type RawRecord } from './common';
import { inTransaction } from './raw-transaction';

interface Row {
  id: string;
  state: string;
  version: number;
}

/** One transaction: lock the rows (create missing), reduce every record in order, write the rows in one statement. */
export function rawPostgresApplyNoDedup(
  pool: pg.Pool,
  schema: string,
): (type: string, records: RawRecord[]) => Promise<void> {
  const ent = `"${schema}"."lty_entities"`;
  return (type, records) =>
    inTransaction(pool, async (client) => {
      const keys = [...new Set(records.map((r) => r.key))].sort();
      const rows = new Map<string, Row>();
      // The same lock statement as raw-postgres.ts, so that the two differ by the dedup alone.
      const sel = `SELECT e.entity_id AS id, e.state::text AS state, e.version::int AS version FROM ${ent} e
      JOIN unnest($1::text[], $2::text[]) AS k(entity_type, entity_id) USING (entity_type, entity_id)
      ORDER BY e.entity_id FOR UPDATE OF e`;
      for (const r of (await client.query<Row>(sel, [keys.map(() => type), keys])).rows) rows.set(r.id, r);
      const missing = keys.filter((k) => !rows.has(k));
      if (missing.length > 0) {
        const ins = `INSERT INTO ${ent} (entity_type, entity_id, state, version) SELECT $1, k, 'null', 0
        FROM unnest($2::text[]) k ORDER BY k ON CONFLICT DO NOTHING RETURNING entity_id AS id`;
        for (const r of (await client.query<{ id: string }>(ins, [type, missing])).rows) {
          rows.set(r.id, { id: r.id, state: 'null', version: 0 });
        }
      }
      for (const r of records) {
        const row = rows.get(r.key)!;
        const current = row.version === 0 ? undefined : (JSON.parse(row.state) as Account);
        row.state = JSON.stringify(reduce(current, r.payload));
        row.version += 1;
      }
      const all = [...rows.values()];
      await client.query(
        `UPDATE ${ent} e SET state = v.state::jsonb, version = v.version, updated_at = now()
         FROM unnest($2::text[], $3::text[], $4::int8[]) AS v(id, state, version)
         WHERE e.entity_type = $1 AND e.entity_id = v.id`,
        [type, all.map((r) => r.id), all.map((r) => r.state), all.map((r) => r.version)],
      );
    });
}
