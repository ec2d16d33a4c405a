import type { Announcement } from '@listen-to-yourself/core';
import type { EntityRef, RecordPosition } from '@listen-to-yourself/core/store-kit';

/** One event id the entity remembers: when it was applied and by which write (for unknown outcomes). */
export interface RememberedId {
  readonly e: string;
  /** Applied at, in epoch milliseconds. */
  readonly at: number;
  /** The writer token of the revision that applied it. */
  readonly w: string;
  /** The reason, when the event was refused rather than applied. */
  readonly x?: string;
}

/**
 * One revision of an entity: a document that is inserted once and never updated. The latest revision (highest
 * `r`) is the entity. Inserting revision r+1 is the compare-and-set: `_id` is unique, so of all writers that read
 * revision r only one can insert r+1, on FerretDB as on MongoDB.
 */
export interface RevisionDoc {
  /** `<type length>:<type>|<id>|<r>`: unique per entity and revision whatever characters the type and id hold. */
  readonly _id: string;
  readonly t: string;
  readonly i: string;
  /** Revision: +1 on every write, including a duplicate's position advance. */
  readonly r: number;
  /** Version: +1 per applied change (what `apply` and `get` report). */
  readonly v: number;
  readonly s: unknown;
  readonly p: RecordPosition;
  /**
   * Event ids applied to the entity within the dedup window, oldest first, carried from revision to revision, as
   * JSON text of `[eventId, atMs, writer]` tuples. Text, not an array: FerretDB v1 converts every element of an
   * array between BSON and JSON on each read (measured: 20 revisions with 400 ids each read in 950 ms as an array,
   * 60 ms as text).
   */
  readonly ids: string;
  /**
   * The outbox: announcements not yet relayed, oldest first, as JSON text (absent in revisions written before
   * announcements existed). Carried from revision to revision like `ids`, so it is written by the same insert.
   */
  readonly o?: string;
  /** A token unique to the write that inserted this revision. */
  readonly w: string;
  /** The token of the revision this one was built on (null for revision 1): lets a writer see it was built upon. */
  readonly pw: string | null;
  readonly at: Date;
}

/** The `_id` of an entity's revision; the type's length makes the encoding unambiguous. */
export function revisionId(entity: EntityRef, r: number): string {
  return `${entity.type.length}:${entity.type}|${entity.id}|${r}`;
}

/** The filter selecting every revision of an entity. */
export function entityFilter(entity: EntityRef): { t: string; i: string } {
  return { t: entity.type, i: entity.id };
}

/** The position as a plain object with exactly the contract's fields (documents may carry more). */
export function toPosition(p: RecordPosition): RecordPosition {
  return { topic: p.topic, partition: p.partition, offset: p.offset };
}

/** Decodes a revision's remembered event ids. */
export function decodeIds(doc: RevisionDoc | null): RememberedId[] {
  if (!doc) return [];
  return (JSON.parse(doc.ids) as [string, number, string, string?][]).map(([e, at, w, x]) =>
    x === undefined ? { e, at, w } : { e, at, w, x },
  );
}

/** Encodes remembered event ids for a revision. */
export function encodeIds(ids: readonly RememberedId[]): string {
  return JSON.stringify(ids.map((i) => (i.x === undefined ? [i.e, i.at, i.w] : [i.e, i.at, i.w, i.x])));
}

/** Decodes a revision's outbox. */
export function decodeOutbox(doc: RevisionDoc | null): Announcement[] {
  return doc?.o ? (JSON.parse(doc.o) as Announcement[]) : [];
}

/** The ids the next revision carries: those still within the window, plus `added`, capped to the newest `max`. */
export function nextIds(
  previous: readonly RememberedId[],
  added: RememberedId,
  now: number,
  windowMs: number,
  max: number,
): string {
  const kept = previous.filter((x) => now - x.at <= windowMs);
  kept.push(added);
  return encodeIds(kept.length > max ? kept.slice(kept.length - max) : kept);
}
