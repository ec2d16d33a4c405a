import type { PoolClient } from 'pg';
import type { AppliedEventId, LockedEntity } from './lock-entities';
import type { PostgresTables } from './tables';

const writeSql = (t: PostgresTables) => `
  WITH v AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::text[], $6::int4[], $7::int8[])
      AS v(entity_type, entity_id, state, version, topic, part, off)
  ), written AS (
    UPDATE ${t.entities} e
    SET state = v.state::jsonb, version = v.version, position_topic = v.topic, position_partition = v.part,
        position_offset = v.off, updated_at = now()
    FROM v WHERE e.entity_type = v.entity_type AND e.entity_id = v.entity_id
  )
  INSERT INTO ${t.appliedEvents} (entity_type, entity_id, event_id, applied_at)
  SELECT d.entity_type, d.entity_id, d.event_id, now()
  FROM unnest($8::text[], $9::text[], $10::text[]) AS d(entity_type, entity_id, event_id)
  ON CONFLICT (entity_type, entity_id, event_id) DO UPDATE SET applied_at = excluded.applied_at`;

/**
 * Writes the dirty rows and records the applied event ids, in one statement. An id still in the table but past
 * the window (not yet cleaned up) gets a fresh timestamp.
 */
export async function writeEntities(
  client: PoolClient,
  tables: PostgresTables,
  rows: readonly LockedEntity[],
  applied: readonly AppliedEventId[],
): Promise<void> {
  const dirty = rows.filter((r) => r.dirty && r.position !== undefined);
  if (dirty.length === 0 && applied.length === 0) return;
  await client.query(writeSql(tables), [
    dirty.map((r) => r.entity.type),
    dirty.map((r) => r.entity.id),
    dirty.map((r) => r.stateText),
    dirty.map((r) => r.version),
    dirty.map((r) => r.position!.topic),
    dirty.map((r) => r.position!.partition),
    dirty.map((r) => r.position!.offset),
    applied.map((a) => a.entity.type),
    applied.map((a) => a.entity.id),
    applied.map((a) => a.eventId),
  ]);
}
