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
   * Computes the next state from the current one (undefined for a new entity). May be called more than once
   * when a store retries a lost compare-and-set, so it must not have effects outside `tx`.
   */
  readonly update: (current: S | undefined, tx: Tx) => S | Promise<S>;
}

/** The outcome of one change. A duplicate is an expected outcome, not an error. */
export type ApplyResult<S = unknown> =
  | { readonly status: 'applied'; readonly version: number; readonly state: S }
  | { readonly status: 'duplicate'; readonly version: number; readonly reason: 'position' | 'event-id' };

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
  /** Releases what the store opened. Idempotent. */
  close(): Promise<void>;
}
