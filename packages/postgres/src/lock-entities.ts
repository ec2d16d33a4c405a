import { type Announcement } from '@listen-to-yourself/core';
import { type ApplyChange, type EntityRef, type RecordPosition } from '@listen-to-yourself/core/store-kit';
import type { ApplyTransaction } from './apply-transaction';
import type { BoundStatement, TextRow } from './pipeline';
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

/**
 * Locks the rows of the changes' entities (FOR UPDATE), creates the missing ones, then reads which of the
 * changes' event ids were applied to them within the window: three statements in one round trip, run one after
 * the other. A missing entity gets a version-0 row, inserted inside the transaction: a concurrent transaction
 * creating the same entity waits on that insert and then locks the committed row, so there is no lost insert
 * race. The insert names every entity; those the lock found conflict with their own locked row and are left
 * alone.
 *
 * The event ids are read by a statement of their own, after every lock is held: under READ COMMITTED a locking
 * SELECT returns the latest version of the rows it locks but reads every other table as of its start, so ids
 * read in the same statement could miss those of the transaction we waited for (measured: with the ids read
 * in the locking statement, 10 racing applies of one event id from different partitions applied it up to 10 times).
 * Sent in the same round trip, the id statement still starts only once the lock and insert have finished, with
 * a snapshot of its own. An entity another transaction created while we waited on our insert is locked, and its
 * ids read again, in one more round trip.
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
  const lock = (e: readonly EntityRef[]): BoundStatement => ({
    ...statement(lockSql(tables)),
    values: [e.map((r) => r.type), e.map((r) => r.id)],
  });
  const seen = (c: typeof changes): BoundStatement => ({
    ...statement(seenSql(tables)),
    values: [c.map((x) => x.entity.type), c.map((x) => x.entity.id), c.map((x) => x.eventId), dedupWindowMs],
  });
  const create: BoundStatement = {
    ...statement(createSql(tables)),
    values: [refs.map((e) => e.type), refs.map((e) => e.id)],
  };

  const [lockedRows, createdRows, seenRows] = await tx.run([lock(refs), create, seen(changes)]);
  take(lockedRows!);
  const found = new Set(locked.keys());
  take(createdRows!);
  const ids = [seenRows!];
  // The others were created by transactions that committed while we waited on our insert.
  const lost = refs.filter((e) => !locked.has(entityKey(e)));
  if (lost.length > 0) {
    const lostKeys = new Set(lost.map(entityKey));
    const [relocked, reseen] = await tx.run([
      lock(lost),
      seen(changes.filter((c) => lostKeys.has(entityKey(c.entity)))),
    ]);
    take(relocked!);
    ids.push(reseen!);
    for (const key of lostKeys) found.add(key);
  }
  // An entity whose row this transaction inserted has no applied ids (its rows are deleted with it).
  for (const row of ids.flat()) {
    const key = entityKey({ type: row.entity_type!, id: row.entity_id! });
    if (found.has(key)) locked.get(key)?.seen.add(row.event_id!);
  }
  return locked;
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
