import type { Announcement, Decision } from './decision';
import type { RecordPosition } from './position';

/** Identifies one aggregate's state: its type (e.g. `'order'`) and its id (the event key). */
export interface EntityRef {
  readonly type: string;
  readonly id: string;
}

/** One event to apply to one entity. */
export interface ApplyChange<S = unknown, Tx = unknown> {
  readonly entity: EntityRef;
  /** The event's id: a second change with an id already applied to this entity is a duplicate. */
  readonly eventId: string;
  /** The record's position: a change at or before the entity's stored position is a duplicate. */
  readonly position: RecordPosition;
  /**
   * Computes the next state from the current one (undefined for a new entity), or a {@link Decision}: a refusal
   * and announcements for the entity's outbox. May be called more than once when a store retries a lost
   * compare-and-set, so it must not have effects outside `tx`.
   */
  readonly update: (current: S | undefined, tx: Tx) => S | Decision<S> | Promise<S | Decision<S>>;
}

/**
 * The outcome of one change. A duplicate and a rejection are expected outcomes, not errors. `pending` lists the
 * entity's announcements not yet marked relayed, in the order they were decided (absent when there are none).
 */
export type ApplyResult<S = unknown> =
  | {
      readonly status: 'applied';
      readonly version: number;
      readonly state: S;
      readonly pending?: readonly Announcement[];
    }
  | {
      readonly status: 'rejected';
      readonly version: number;
      /** The reason the change's `update` refused it with. */
      readonly rejection: string;
      readonly pending?: readonly Announcement[];
    }
  | {
      readonly status: 'duplicate';
      readonly version: number;
      readonly reason: 'position' | 'event-id';
      readonly pending?: readonly Announcement[];
    };

/** An entity as stored: its state, version (1 after the first applied event) and last applied position. */
export interface StoredEntity<S = unknown> {
  readonly state: S;
  readonly version: number;
  readonly position: RecordPosition | undefined;
}

/**
 * Where the self-subscriber applies events. The contract every adapter keeps (and the conformance suite in
 * `@listen-to-yourself/testkit` checks):
 *
 * - `apply` is atomic per entity: the duplicate check, the new state, the version and the position are written in
 *   one step, so an event changes an entity once whatever the concurrency (two consumers racing on one record
 *   give one `applied` and one `duplicate`).
 * - A change is a duplicate when its position is at or before the entity's stored position on the same topic and
 *   partition (a redelivered record), or when its event id was applied to the entity within the dedup window
 *   (a retried command that produced a new record). A duplicate does not call `update`; a duplicate by event id
 *   still advances the stored position.
 * - Errors: a fault the store expects to heal (connection lost, timeout, deadlock) is thrown as, or wrapped by,
 *   an error whose `retriable` is true (see `TransientError`); anything thrown by `update` passes through as is.
 * - A change whose `update` returns a refusal (see `decision`) leaves the state and version as they were, but
 *   is recorded like an applied one (dedup record, with the reason, and position): a duplicate of it stays a
 *   duplicate, and `rejectionOf` tells the reason. An entity to which no change was applied, only refused, reads
 *   as absent from `get`.
 * - Announcements a change decides are its entity's outbox: written in the same atomic step as the state and
 *   dedup record (a change that is not written leaves none), kept in decision order until `markRelayed`
 *   removes them, and returned as `pending` by every later `apply` of the entity, duplicates included.
 * - `close()` releases only what the store itself opened; a client passed in by the user stays open.
 * - Methods may be called concurrently for different entities.
 */
export interface StateStore<Tx = unknown> {
  /** A short name for logs and metrics, e.g. `'postgres'`. */
  readonly name: string;
  /** Creates what the store needs (tables, keyspace, indexes). Idempotent; safe to call from every instance. */
  init(): Promise<void>;
  /** Applies one change atomically; see the interface's contract. */
  apply<S>(change: ApplyChange<S, Tx>): Promise<ApplyResult<S>>;
  /**
   * Applies changes in order, with the same guarantees per change as `apply`, in fewer round trips where the
   * store can. Results are in the order of `changes`. If it throws, a prefix of the changes may have been applied;
   * applying the same changes again is safe because applied ones come back as duplicates.
   */
  applyBatch<S>(changes: readonly ApplyChange<S, Tx>[]): Promise<ApplyResult<S>[]>;
  /** Reads one entity's latest applied state, or undefined when no event was applied to it. */
  get<S>(entity: EntityRef): Promise<StoredEntity<S> | undefined>;
  /**
   * Removes these announcements from the entity's outbox once they are in Kafka. Ids no longer pending are
   * ignored; announcements decided meanwhile stay. Idempotent; safe while other instances apply or relay.
   */
  markRelayed(entity: EntityRef, ids: readonly string[]): Promise<void>;
  /** The reason an event was refused with, when the entity's dedup record of it says so (within the window). */
  rejectionOf(entity: EntityRef, eventId: string): Promise<string | undefined>;
  /** Releases what the store opened. Idempotent. */
  close(): Promise<void>;
}
