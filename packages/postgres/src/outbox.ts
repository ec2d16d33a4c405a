import type { EntityRef } from '@listen-to-yourself/core/store-kit';
import type { Pool } from 'pg';
import type { PostgresTables } from './tables';
import { poolQuery } from './transaction';

// One statement for every entity of a relay round: it locks their rows in key order (as an apply transaction
// does, so the two never deadlock) and then drops the relayed ids; announcements appended by an apply that
// committed first stay, whatever the ids.
const markSql = (t: PostgresTables) => `
  WITH v AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS v(entity_type, entity_id, ids)
  ), locked AS (
    SELECT e.entity_type, e.entity_id FROM ${t.entities} e JOIN v USING (entity_type, entity_id)
    ORDER BY 1, 2 FOR UPDATE OF e
  )
  UPDATE ${t.entities} AS e SET outbox = COALESCE(
    (SELECT jsonb_agg(x.a ORDER BY x.n) FROM jsonb_array_elements(e.outbox) WITH ORDINALITY AS x(a, n)
     WHERE NOT (x.a->>'id' IN (SELECT jsonb_array_elements_text(v.ids)))), '[]'::jsonb)
  FROM v JOIN locked USING (entity_type, entity_id)
  WHERE e.entity_type = v.entity_type AND e.entity_id = v.entity_id
    AND EXISTS (SELECT 1 FROM jsonb_array_elements(e.outbox) AS y(a)
                WHERE y.a->>'id' IN (SELECT jsonb_array_elements_text(v.ids)))`;

const rejectionSql = (t: PostgresTables) => `
  SELECT rejection FROM ${t.appliedEvents}
  WHERE entity_type = $1 AND entity_id = $2 AND event_id = $3
    AND applied_at > now() - $4::float8 * interval '1 millisecond'`;

interface Queued {
  readonly entity: EntityRef;
  readonly ids: readonly string[];
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/**
 * `markRelayed` for a store: the calls made in one turn of the event loop (a relay round marks all of its
 * entities at once) go to the database as one statement, instead of one round trip per entity.
 */
export function relayMarker(
  pool: Pool,
  tables: PostgresTables,
): (entity: EntityRef, ids: readonly string[]) => Promise<void> {
  let queued: Queued[] = [];
  const flush = async () => {
    const batch = queued;
    queued = [];
    const byEntity = new Map<string, { entity: EntityRef; ids: string[] }>();
    for (const q of batch) {
      const key = JSON.stringify([q.entity.type, q.entity.id]);
      const known = byEntity.get(key);
      if (known) known.ids.push(...q.ids);
      else byEntity.set(key, { entity: q.entity, ids: [...q.ids] });
    }
    const rows = [...byEntity.values()];
    try {
      await poolQuery(pool, 'markRelayed', markSql(tables), [
        rows.map((r) => r.entity.type),
        rows.map((r) => r.entity.id),
        rows.map((r) => JSON.stringify(r.ids)),
      ]);
      for (const q of batch) q.resolve();
    } catch (err) {
      for (const q of batch) q.reject(err);
    }
  };
  return (entity, ids) => {
    if (ids.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      queued.push({ entity, ids, resolve, reject });
      if (queued.length === 1) queueMicrotask(() => void flush());
    });
  };
}

/** The reason stored with an event's dedup row, if it was refused within the window. */
export async function rejectionOf(
  pool: Pool,
  tables: PostgresTables,
  dedupWindowMs: number,
  entity: EntityRef,
  eventId: string,
): Promise<string | undefined> {
  const { rows } = await poolQuery<{ rejection: string | null }>(pool, 'rejectionOf', rejectionSql(tables), [
    entity.type,
    entity.id,
    eventId,
    dedupWindowMs,
  ]);
  return rows[0]?.rejection ?? undefined;
}
