import { type Announcement } from '@listen-to-yourself/core';
import {
  reached,
  type ApplyChange,
  type EntityRef,
  type RecordPosition,
} from '@listen-to-yourself/core/store-kit';
import type { ApplyTransaction } from './apply-transaction';
import type { BoundStatement, Param, TextRow } from './pipeline';
import { positionOf } from './position-columns';
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

/** The map key of an entity. */
export const entityKey = (e: EntityRef): string => `${e.type}\u0000${e.id}`;

// Every column comes back as text (see `sendTogether`), so the user's own pg type parsers cannot change what the
// store reads.
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

// Up to this many changes, the insert and the id read go out with the lock whatever the lock finds: a round trip
// saved. Beyond it they wait for the lock's answer and name only the missing entities and the changes that need
// their ids: a large transaction would otherwise try to insert every existing entity and read the ids of every
// duplicate by position, work that outweighs one more round trip shared by so many changes.
const ONE_TRIP_MAX_CHANGES = 16;

/**
 * Locks the rows of the changes' entities (FOR UPDATE), creates the missing ones, then reads which of the
 * changes' event ids were applied to them within the window. For a small transaction the three statements go
 * out in one round trip with BEGIN (an insert that names an entity the lock found conflicts with its own locked
 * row and leaves it alone); for a larger one the insert and the id read follow in a second round trip. A missing
 * entity gets a version-0 row, inserted inside the transaction: a concurrent transaction creating the same
 * entity waits on that insert and then locks the committed row, so there is no lost insert race. An entity whose
 * row this transaction inserted has no applied event ids to read, nor has a change that is a duplicate by
 * position anyway.
 *
 * The event ids are read by a statement of their own, after every lock is held: under READ COMMITTED a locking
 * SELECT returns the latest version of the rows it locks but reads every other table as of its start, so ids
 * read in the same statement could miss those of the transaction we waited for (measured: with the ids read
 * in the locking statement, 10 racing applies of one event id from different partitions applied it up to 10 times).
 * Sent in the same round trip, the id statement still starts only once the lock and the insert have finished,
 * with a snapshot of its own. An entity another transaction created while we waited on our insert is locked, and
 * its ids read again, in one more round trip.
 */
export async function lockEntities(
  tx: ApplyTransaction,
  tables: PostgresTables,
  statement: Statements,
  changes: readonly Pick<ApplyChange, 'entity' | 'eventId' | 'position'>[],
  dedupWindowMs: number,
): Promise<Map<string, LockedEntity>> {
  const entities = new Map<string, EntityRef>();
  for (const change of changes) entities.set(entityKey(change.entity), change.entity);
  const refs = [...entities.values()];
  const locked = new Map<string, LockedEntity>();
  const take = (rows: TextRow[]) => {
    for (const row of rows)
      locked.set(entityKey({ type: row.entity_type!, id: row.entity_id! }), toLocked(row));
  };
  const bind = (sql: (t: PostgresTables) => string, values: Param[]): BoundStatement => ({
    ...statement(sql(tables)),
    values,
  });
  const lock = (e: readonly EntityRef[]) => bind(lockSql, [e.map((r) => r.type), e.map((r) => r.id)]);
  const create = (e: readonly EntityRef[]) => bind(createSql, [e.map((r) => r.type), e.map((r) => r.id)]);
  const seen = (c: typeof changes) =>
    bind(seenSql, [
      c.map((x) => x.entity.type),
      c.map((x) => x.entity.id),
      c.map((x) => x.eventId),
      dedupWindowMs,
    ]);

  // The entities whose rows existed (locked, not inserted here): only their ids count.
  const found = new Set<string>();
  const ids: TextRow[][] = [];
  if (changes.length <= ONE_TRIP_MAX_CHANGES) {
    const [lockedRows, createdRows, seenRows] = await tx.run([lock(refs), create(refs), seen(changes)]);
    take(lockedRows!);
    for (const key of locked.keys()) found.add(key);
    ids.push(seenRows!);
    take(createdRows!);
  } else {
    take((await tx.run([lock(refs)]))[0]!);
    for (const key of locked.keys()) found.add(key);
    const missing = refs.filter((e) => !found.has(entityKey(e)));
    const toCheck = needIds(changes, locked);
    const second = [
      ...(missing.length > 0 ? [create(missing)] : []),
      ...(toCheck.length > 0 ? [seen(toCheck)] : []),
    ];
    const results = second.length > 0 ? await tx.run(second) : [];
    if (missing.length > 0) take(results.shift()!);
    if (toCheck.length > 0) ids.push(results.shift()!);
  }
  // The others were created by transactions that committed while we waited on our insert.
  const lost = refs.filter((e) => !locked.has(entityKey(e)));
  if (lost.length > 0) {
    const lostKeys = new Set(lost.map(entityKey));
    const lostChanges = changes.filter((c) => lostKeys.has(entityKey(c.entity)));
    const [relocked, reseen] = await tx.run([lock(lost), seen(lostChanges)]);
    take(relocked!);
    ids.push(reseen!);
    for (const key of lostKeys) found.add(key);
  }
  for (const row of ids.flat()) {
    const key = entityKey({ type: row.entity_type!, id: row.entity_id! });
    if (found.has(key)) locked.get(key)?.seen.add(row.event_id!);
  }
  return locked;
}

// An entity's leading changes at or before its stored position are duplicates by position whatever their ids
// (they change nothing, so the position stays); only the changes from its first other one on need the ids.
function needIds<C extends Pick<ApplyChange, 'entity' | 'position'>>(
  changes: readonly C[],
  locked: ReadonlyMap<string, LockedEntity>,
): C[] {
  const undecided = new Set<string>();
  return changes.filter((c) => {
    const key = entityKey(c.entity);
    const row = locked.get(key);
    if (row === undefined) return false;
    if (!undecided.has(key) && reached(row.position, c.position)) return false;
    undecided.add(key);
    return true;
  });
}

function toLocked(row: TextRow): LockedEntity {
  const position = positionOf({
    position_topic: row.position_topic ?? null,
    position_partition: row.position_partition == null ? null : Number(row.position_partition),
    position_offset: row.position_offset ?? null,
  });
  return {
    entity: { type: row.entity_type!, id: row.entity_id! },
    stateText: row.state!,
    version: Number(row.version),
    position,
    outbox: JSON.parse(row.outbox!) as Announcement[],
    seen: new Set(),
    dirty: false,
  };
}
