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
 * The framework's view of Kafka. Contract every transport keeps (the transport contract suite checks it):
 * - `produce()` resolves only when every record is durably acknowledged (acks=all, idempotent producer), with one
 *   position per record in the order given; otherwise it rejects with a `TransportError` whose `retriable` says
 *   whether sending the same records again may succeed. It never resolves with a record missing.
 * - `produce(records, { atomic: true })` makes all records visible together or none (a Kafka transaction); with
 *   `offsets`, those consumer offsets are committed in the same transaction.
 * - Consumers read committed data only (`read_committed`).
 * - `disconnect()` stops every consumption it started and closes every client. Idempotent.
 */
export interface Transport {
  readonly name: string;
  connect(): Promise<void>;
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** The number of partitions of an existing topic. */
  partitionCount(topic: string): Promise<number>;
  produce(records: readonly OutgoingRecord[], options?: ProduceOptions): Promise<RecordPosition[]>;
  consume(options: ConsumeOptions): Promise<Consumption>;
  /** The group's committed offsets (next offset to read) per partition; partitions without a commit are absent. */
  committedOffsets(groupId: string, topic: string): Promise<Map<number, string>>;
  /** The next offset to be written, per partition. */
  endOffsets(topic: string): Promise<Map<number, string>>;
  /**
   * Deletes consumer groups that have no member left, with their committed offsets: the throwaway groups of
   * readers that had to join one to read. A group that does not exist counts as deleted; a group with members
   * is a TransportError. Optional: without it, such groups stay until the broker expires them.
   */
  deleteGroups?(groupIds: readonly string[]): Promise<void>;
  disconnect(): Promise<void>;
}
