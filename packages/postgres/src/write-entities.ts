import type { AppliedEventId, LockedEntity } from './lock-entities';
import type { BoundStatement } from './pipeline';
import type { Statements } from './statements';
import type { PostgresTables } from './tables';

const writeSql = (t: PostgresTables) => `
  WITH v AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::text[], $6::int4[], $7::int8[],
                         $11::text[])
      AS v(entity_type, entity_id, state, version, topic, part, off, outbox)
  ), written AS (
    UPDATE ${t.entities} e
    SET state = v.state::jsonb, version = v.version, position_topic = v.topic, position_partition = v.part,
        position_offset = v.off, outbox = v.outbox::jsonb, updated_at = now()
    FROM v WHERE e.entity_type = v.entity_type AND e.entity_id = v.entity_id
  )
  INSERT INTO ${t.appliedEvents} (entity_type, entity_id, event_id, applied_at, rejection)
  SELECT d.entity_type, d.entity_id, d.event_id, now(), d.rejection
  FROM unnest($8::text[], $9::text[], $10::text[], $12::text[]) AS d(entity_type, entity_id, event_id, rejection)
  ON CONFLICT (entity_type, entity_id, event_id)
    DO UPDATE SET applied_at = excluded.applied_at, rejection = excluded.rejection`;

/**
 * The statement that writes the dirty rows (state, version, position and outbox) and records the applied or
 * refused event ids, or none when there is nothing to write. An id still in the table but past the window (not
 * yet cleaned up) gets a fresh timestamp.
 */
export function writeEntities(
  tables: PostgresTables,
  statement: Statements,
  rows: readonly LockedEntity[],
  applied: readonly AppliedEventId[],
): BoundStatement[] {
  const dirty = rows.filter((r) => r.dirty && r.position !== undefined);
  if (dirty.length === 0 && applied.length === 0) return [];
  const write: BoundStatement = {
    ...statement(writeSql(tables)),
    values: [
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
      dirty.map((r) => JSON.stringify(r.outbox)),
      applied.map((a) => a.rejection),
    ],
  };
  return [write];
}
