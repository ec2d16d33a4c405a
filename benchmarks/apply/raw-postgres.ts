// The hand-written baseline of the Postgres benchmarks: what a user would write instead of the framework, with
// the same dedup (position, then event id within the window) and the same tables as postgresStateStore.
import type pg from 'pg';
import { reduce, type Account, type RawRecord } from './common';
import { inTransaction } from './raw-transaction';

interface Row {
  id: string;
  state: string;
  version: number;
  part: number | null;
  off: string | null;
  dirty: boolean;
  seen: Set<string>;
}

/** One transaction: lock (create missing), read seen ids, decide in order, write rows + ids in one statement. */
export function rawPostgresApply(
  pool: pg.Pool,
  schema: string,
  topic: string,
): (type: string, records: RawRecord[]) => Promise<void> {
  const ent = `"${schema}"."lty_entities"`;
  const ids = `"${schema}"."lty_applied_events"`;
  return (type, records) =>
    inTransaction(pool, async (client) => {
      const keys = [...new Set(records.map((r) => r.key))].sort();
      const rows = new Map<string, Row>();
      const sel = `SELECT e.entity_id AS id, e.state::text AS state, e.version::int AS version,
      e.position_partition AS part, e.position_offset::text AS off FROM ${ent} e
      JOIN unnest($1::text[], $2::text[]) AS k(entity_type, entity_id) USING (entity_type, entity_id)
      ORDER BY e.entity_id FOR UPDATE OF e`;
      for (const r of (await client.query<Row>(sel, [keys.map(() => type), keys])).rows)
        rows.set(r.id, { ...r, dirty: false, seen: new Set() });
      const missing = keys.filter((k) => !rows.has(k));
      const created = new Set<string>();
      if (missing.length > 0) {
        const ins = `INSERT INTO ${ent} (entity_type, entity_id, state, version) SELECT $1, k, 'null', 0
        FROM unnest($2::text[]) k ORDER BY k ON CONFLICT DO NOTHING RETURNING entity_id AS id`;
        for (const r of (await client.query<{ id: string }>(ins, [type, missing])).rows) {
          rows.set(r.id, {
            id: r.id,
            state: 'null',
            version: 0,
            part: null,
            off: null,
            dirty: false,
            seen: new Set(),
          });
          created.add(r.id);
        }
      }
      const check = records.filter((r) => !created.has(r.key));
      if (check.length > 0) {
        const seen = await client.query<{ id: string; ev: string }>(
          // The entity type goes in with each key, as the store does: with `d.entity_type = $1` instead, once
          // autovacuum has analyzed the table while this run's type was still new, Postgres plans an index scan on
          // the type alone and filters every row of the run's type in each transaction (measured: raw at batch 10
          // fell from about 8,500 to 3,300 events/s).
          `SELECT d.entity_id AS id, d.event_id AS ev FROM ${ids} d
         JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(entity_type, entity_id, event_id)
           USING (entity_type, entity_id, event_id)
         WHERE d.applied_at > now() - interval '7 days'`,
          [check.map(() => type), check.map((r) => r.key), check.map((r) => r.eventId)],
        );
        for (const s of seen.rows) rows.get(s.id)?.seen.add(s.ev);
      }
      const applied: RawRecord[] = [];
      for (const r of records) {
        const row = rows.get(r.key)!;
        if (row.part === r.partition && row.off !== null && BigInt(row.off) >= BigInt(r.offset)) continue;
        row.part = r.partition;
        row.off = r.offset;
        row.dirty = true;
        if (row.seen.has(r.eventId)) continue;
        const current = row.version === 0 ? undefined : (JSON.parse(row.state) as Account);
        row.state = JSON.stringify(reduce(current, r.payload));
        row.version += 1;
        row.seen.add(r.eventId);
        applied.push(r);
      }
      const dirty = [...rows.values()].filter((r) => r.dirty);
      await client.query(
        `WITH v AS (SELECT * FROM unnest($2::text[], $3::text[], $4::int8[], $5::int4[], $6::int8[])
         AS v(id, state, version, part, off)),
       w AS (UPDATE ${ent} e SET state = v.state::jsonb, version = v.version, position_topic = $7,
         position_partition = v.part, position_offset = v.off, updated_at = now()
         FROM v WHERE e.entity_type = $1 AND e.entity_id = v.id)
       INSERT INTO ${ids} (entity_type, entity_id, event_id) SELECT $1, d.id, d.ev
       FROM unnest($8::text[], $9::text[]) AS d(id, ev)
       ON CONFLICT (entity_type, entity_id, event_id) DO UPDATE SET applied_at = excluded.applied_at`,
        [
          type,
          ...(['id', 'state', 'version', 'part', 'off'] as const).map((k) => dirty.map((r) => r[k])),
          topic,
          applied.map((r) => r.key),
          applied.map((r) => r.eventId),
        ],
      );
    });
}
