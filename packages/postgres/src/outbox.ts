import type { EntityRef } from '@listen-to-yourself/core/store-kit';
import type { Pool } from 'pg';
import type { PostgresTables } from './tables';
import { poolQuery } from './transaction';

// One statement, so the row lock it takes orders it with the apply transactions: announcements appended by an
// apply that committed first stay, whatever the ids.
const markSql = (t: PostgresTables) => `
  UPDATE ${t.entities} SET outbox = COALESCE(
    (SELECT jsonb_agg(x.a ORDER BY x.n) FROM jsonb_array_elements(outbox) WITH ORDINALITY AS x(a, n)
     WHERE NOT (x.a->>'id' = ANY($3::text[]))), '[]'::jsonb)
  WHERE entity_type = $1 AND entity_id = $2
    AND EXISTS (SELECT 1 FROM jsonb_array_elements(outbox) AS y(a) WHERE y.a->>'id' = ANY($3::text[]))`;

const rejectionSql = (t: PostgresTables) => `
  SELECT rejection FROM ${t.appliedEvents}
  WHERE entity_type = $1 AND entity_id = $2 AND event_id = $3
    AND applied_at > now() - $4::float8 * interval '1 millisecond'`;

/** Removes relayed announcements from an entity's outbox. */
export async function markRelayed(
  pool: Pool,
  tables: PostgresTables,
  entity: EntityRef,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  await poolQuery(pool, 'markRelayed', markSql(tables), [entity.type, entity.id, ids]);
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
