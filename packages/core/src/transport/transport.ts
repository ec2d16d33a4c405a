import type { RecordPosition } from '../store/position';

/** A record to produce. `partition` is chosen by the framework (murmur2 of the key, like Kafka's Java client). */
export interface OutgoingRecord {
  readonly topic: string;
  readonly partition: number;
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

/** A consumer group's offset to commit inside a transaction (consume-transform-produce). */
export interface OffsetCommit {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  /** The next offset to read. */
  readonly offset: string;
}

/** Options of one produce call. */
export interface ProduceOptions {
  /** All records become visible together or none do (one Kafka transaction). */
  readonly atomic?: boolean;
  /** Consumer offsets committed in the same transaction as the records; implies `atomic`. */
  readonly offsets?: readonly OffsetCommit[];
}

/** A consumed record. */
export interface IncomingRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
  /** Broker or producer timestamp, milliseconds since the epoch, as a decimal string. */
  readonly timestamp: string;
}

/** Topic to create at start when absent. */
export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly config?: Readonly<Record<string, string>>;
}

/** Handed to `eachBatch` so the handler can commit, heartbeat and pause its partition. */
export interface BatchControl {
  /**
   * Marks every record of this batch's partition before `nextOffset` (the offset of the next record to read) as
   * done: they are not delivered to this member again, and the group's committed offset reaches `nextOffset`.
   * A transport may send the commit in the background (kafkajs and librdkafka: every `commitIntervalMs`), but
   * sends what is pending before `Consumption.stop()` leaves the group and before a transaction commits the
   * group's offsets (`ProduceOptions.offsets`), and tries to at a rebalance. Records whose commit had not reached
   * the broker when the partition moved are delivered again to its next owner.
   */
  commit(nextOffset: string): Promise<void>;
  /** Keeps the group membership alive during long work. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or the partition was revoked: finish the current record, then return. */
  isRunning(): boolean;
  /**
   * Stops delivering this partition for `delayMs`; then every record after the last `commit()` is delivered again.
   * The caller returns from `eachBatch` right after calling it. Other partitions keep flowing meanwhile, which is
   * the point: a record waiting for its next attempt holds back its own partition only. A transport that leaves
   * this out gets its retries waited for inside the batch.
   */
  deferPartition?(delayMs: number): void;
  /**
   * Names this member's unbroken ownership of the batch's partition: the same for every batch while the
   * partition stays here (rebalances that leave it here included), a new value once it comes back after another
   * member may have read it. State a handler keeps per partition between batches (a record's retry count) is true
   * only within one claim. Undefined when the transport cannot tell.
   */
  readonly claim?: number;
}

/** One partition's worth of records, in offset order. */
export interface Batch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly IncomingRecord[];
}

export interface ConsumeOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a group without a committed offset starts. */
  readonly fromBeginning: boolean;
  /**
   * Called with records of one partition at a time, never concurrently for the same partition. Records not
   * committed when it returns or throws are delivered again (to this or another member).
   */
  readonly eachBatch: (batch: Batch, control: BatchControl) => Promise<void>;
  /**
   * Called once when the consumer stops on its own because of a fault it cannot recover from; by then it has
   * left the group (its `stop()` still resolves). A batch handler that throws an error whose `retriable` is
   * `false` is such a fault, as is a fatal client error. An error with `retriable: false` says that starting a
   * new consumer cannot help or would do harm (a static member fenced by its successor, say).
   */
  readonly onCrash?: (err: unknown) => void;
  /**
   * Called after each rebalance with the partitions of `topics` this member now owns (empty when it owns none).
   * Optional for a transport; the service's `health()` shows what it reports.
   */
  readonly onAssignment?: (partitions: readonly TopicPartition[]) => void;
  /**
   * Called when the consumer hit a fault, left the group and will join again by itself after `delayMs`.
   * Optional for a transport; the service's `health()` shows what it reports.
   */
  readonly onRetry?: (err: unknown, delayMs: number) => void;
}

/** A partition of a topic. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A running group member; `consume()` resolves with it once the member joined its group. */
export interface Consumption {
  /** Lets the in-flight batch finish, leaves the group and disconnects. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The data plane of a transport: connecting, producing, consuming. Contract (the transport contract suite in
 * `@listen-to-yourself/testkit` checks it):
 * - `produce()` and the admin calls, made before `connect()` resolved or after `disconnect()`, reject with a
 *   `TransportError` whose `retriable` is false: calling again will not help. Call `consume()` on a connected
 *   transport only.
 * - A fault that may heal (broker unreachable, leader moving, request timed out) rejects with a retriable
 *   `TransportError`; the caller decides whether to try again.
 * - Methods may be called concurrently.
 */
export interface TransportMessaging {
  /** A short name for logs, e.g. `'kafkajs'`. */
  readonly name: string;
  /**
   * Connects the clients the other methods need. Idempotent, and safe to call concurrently (one connection). A
   * failure rejects with a `TransportError` and leaves nothing open, so it may be called again.
   */
  connect(): Promise<void>;
  /**
   * Resolves only when every record is durably acknowledged (acks=all, idempotent producer), with one position
   * per record in the order given; it never resolves with a record missing. `produce([])` resolves with `[]`.
   * With `atomic`, all records become visible together or none (a Kafka transaction; consumers read committed
   * data only); with `offsets`, those consumer offsets commit in the same transaction. A record to a topic that
   * does not exist rejects (a transport never creates topics by producing).
   */
  produce(records: readonly OutgoingRecord[], options?: ProduceOptions): Promise<RecordPosition[]>;
  /**
   * Joins `groupId` and resolves once joined; batches are delivered per partition, in offset order, committed
   * data only (`read_committed`). A topic of `topics` that does not exist rejects with a non-retriable
   * `TransportError` (a subscriber waits for its publisher's topic with `partitionCount` first).
   */
  consume(options: ConsumeOptions): Promise<Consumption>;
  /** Stops every consumption it started and closes every client. Idempotent; never rejects for a closed client. */
  disconnect(): Promise<void>;
}

/**
 * The admin calls of a transport: topics, partitions and offsets. Same rules as {@link TransportMessaging} for a
 * client that is not connected and for faults that may heal. None of them creates a topic as a side effect.
 */
export interface TransportAdmin {
  /**
   * Creates the topics that do not exist, as specified; an existing topic is kept as it is (another partition
   * count is not an error). Idempotent, also from several clients at once.
   */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /**
   * The number of partitions of a topic; 0 for a topic that does not exist (an expected answer, not an error:
   * a subscriber polls it until its publisher created the topic). A transport may cache a count above 0.
   */
  partitionCount(topic: string): Promise<number>;
  /**
   * The group's committed offsets (the next offset to read) per partition of `topic`; partitions without a
   * commit are absent, and a group that never committed (or does not exist) gives an empty map.
   */
  committedOffsets(groupId: string, topic: string): Promise<Map<number, string>>;
  /** The next offset to be written, per partition of `topic` ('0' for an empty partition). */
  endOffsets(topic: string): Promise<Map<number, string>>;
  /**
   * Deletes consumer groups that have no member left, with their committed offsets: the throwaway groups of
   * readers that had to join one to read. A group that does not exist counts as deleted; a group with members
   * is a TransportError. Optional: without it, such groups stay until the broker expires them.
   */
  deleteGroups?(groupIds: readonly string[]): Promise<void>;
}

/**
 * The framework's view of Kafka: the data plane ({@link TransportMessaging}) and the admin calls
 * ({@link TransportAdmin}) of one set of clients. Parts of the framework that only look (health, token
 * outcomes, a subscriber waiting for a topic) take a `TransportAdmin`. See
 * {@link https://github.com/listen-to-yourself/listen-to-yourself/blob/main/docs/adapters/writing-a-transport.md | Writing a transport}.
 */
export interface Transport extends TransportMessaging, TransportAdmin {}
