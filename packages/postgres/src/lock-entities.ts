import { type Announcement } from '@listen-to-yourself/core';
import {
  reached,
  type ApplyChange,
  type EntityRef,
  type RecordPosition,
} from '@listen-to-yourself/core/store-kit';
import type { PoolClient } from 'pg';
import { positionOf, type PositionColumns } from './position-columns';
import type { Statements } from './statements';
import type { PostgresTables } from './tables';

/** An entity row as locked for one transaction, updated in place as the transaction's changes are planned. */
export interface LockedEntity {
  readonly entity: EntityRef;
  /** The state as jsonb text ('null' for a new entity). */
  stateText: string;
  /** 0 for a row created by this transaction. */
  version: number;
  position: RecordPosition | undefined;
  /** Event ids (among those of the transaction's changes) applied to this entity within the dedup window. */
  readonly seen: Set<string>;
  /** The announcements not yet relayed, oldest first. */
  outbox: Announcement[];
  /** True once the row must be written back. */
  dirty: boolean;
}

/** One applied (or refused) event id, to record in the dedup table. */
export interface AppliedEventId {
  readonly entity: EntityRef;
  readonly eventId: string;
  readonly rejection: string | null;
}

interface Row extends PositionColumns {
  entity_type: string;
  entity_id: string;
  state: string;
  version: string;
  outbox: string;
}

/** The map key of an entity. */
export const entityKey = (e: EntityRef): string => `${e.type}\u0000${e.id}`;

// State, version and offset come back as text so that the user's own pg type parsers (on a pool they pass in)
// cannot change what the store reads.
const lockSql = (t: PostgresTables) => `
  SELECT e.entity_type, e.entity_id, e.state::text AS state, e.version::text AS version, e.outbox::text AS outbox,
         e.position_topic, e.position_partition, e.position_offset::text AS position_offset
  FROM ${t.entities} e
  JOIN unnest($1::text[], $2::text[]) AS k(entity_type, entity_id) USING (entity_type, entity_id)
  ORDER BY e.entity_type, e.entity_id
  FOR UPDATE OF e`;

// Sorted, like the lock above, so that two transactions take their row locks in the same order.
const createSql = (t: PostgresTables) => `
  INSERT INTO ${t.entities} (entity_type, entity_id, state, version)
  SELECT k.entity_type, k.entity_id, 'null'::jsonb, 0 FROM unnest($1::text[], $2::text[]) AS k(entity_type, entity_id)
  ORDER BY 1, 2
  ON CONFLICT (entity_type, entity_id) DO NOTHING
  RETURNING entity_type, entity_id, state::text AS state, version::text AS version, outbox::text AS outbox,
            position_topic, position_partition, position_offset::text AS position_offset`;

const seenSql = (t: PostgresTables) => `
  SELECT d.entity_type, d.entity_id, d.event_id FROM ${t.appliedEvents} d
  JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(entity_type, entity_id, event_id)
    USING (entity_type, entity_id, event_id)
  WHERE d.applied_at > now() - $4::float8 * interval '1 millisecond'`;

/**
 * Locks the rows of the changes' entities (FOR UPDATE), then reads which of the changes' event ids were applied
 * to them within the window. A missing entity gets a version-0 row, inserted inside the transaction: a concurrent
 * transaction creating the same entity waits on that insert and then locks the committed row, so there is no
 * lost insert race. An entity whose row this transaction inserted has no applied event ids to read, nor has a
 * change that is a duplicate by position anyway.
 *
 * The event ids are read by a statement of their own, after every lock is held: under READ COMMITTED a locking
 * SELECT returns the latest version of the rows it locks but reads every other table as of its start, so ids
 * read in the same statement could miss those of the transaction we waited for (measured: with the ids read
 * in the locking statement, 10 racing applies of one event id from different partitions applied it up to 10 times).
 */
export async function lockEntities(
  client: PoolClient,
  tables: PostgresTables,
  statement: Statements,
  changes: readonly Pick<ApplyChange, 'entity' | 'eventId' | 'position'>[],
  dedupWindowMs: number,
): Promise<Map<string, LockedEntity>> {
  const entities = new Map<string, EntityRef>();
  for (const change of changes) entities.set(entityKey(change.entity), change.entity);
  const locked = new Map<string, LockedEntity>();
  const lock = async (refs: readonly EntityRef[]) => {
    const { rows } = await client.query<Row>({
      ...statement(lockSql(tables)),
      values: [refs.map((e) => e.type), refs.map((e) => e.id)],
    });
    for (const row of rows)
      locked.set(entityKey({ type: row.entity_type, id: row.entity_id }), toLocked(row));
  };
  await lock([...entities.values()]);

  const created = new Set<string>();
  const missing = [...entities.values()].filter((e) => !locked.has(entityKey(e)));
  if (missing.length > 0) {
    const { rows } = await client.query<Row>({
      ...statement(createSql(tables)),
      values: [missing.map((e) => e.type), missing.map((e) => e.id)],
    });
    for (const row of rows) {
      const key = entityKey({ type: row.entity_type, id: row.entity_id });
      locked.set(key, toLocked(row));
      created.add(key);
    }
    // The others were created by transactions that committed while we waited.
    const lost = missing.filter((e) => !created.has(entityKey(e)));
    if (lost.length > 0) await lock(lost);
  }

  // An entity's leading changes at or before its stored position are duplicates by position whatever their ids
  // (they change nothing, so the position stays); only the changes from its first other one on need the ids.
  const undecided = new Set<string>();
  const toCheck = changes.filter((c) => {
    const key = entityKey(c.entity);
    if (created.has(key)) return false;
    if (!undecided.has(key) && reached(locked.get(key)?.position, c.position)) return false;
    undecided.add(key);
    return true;
  });
  if (toCheck.length === 0) return locked;
  const seen = await client.query<{ entity_type: string; entity_id: string; event_id: string }>({
    ...statement(seenSql(tables)),
    values: [
      toCheck.map((c) => c.entity.type),
      toCheck.map((c) => c.entity.id),
      toCheck.map((c) => c.eventId),
      dedupWindowMs,
    ],
  });
  for (const row of seen.rows) {
    locked.get(entityKey({ type: row.entity_type, id: row.entity_id }))?.seen.add(row.event_id);
  }
  return locked;
}

function toLocked(row: Row): LockedEntity {
  const position = positionOf(row);
  return {
    entity: { type: row.entity_type, id: row.entity_id },
    stateText: row.state,
    version: Number(row.version),
    position,
    outbox: JSON.parse(row.outbox) as Announcement[],
    seen: new Set(),
    dirty: false,
  };
}
