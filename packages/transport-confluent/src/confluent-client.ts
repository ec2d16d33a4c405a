import { createRequire } from 'node:module';
import { ConfigError } from '@listen-to-yourself/core';

// The subset of @confluentinc/kafka-javascript's KafkaJS-compatible API this package uses, declared here (as
// Kysely declares its drivers) so the package type-checks and builds where the native client is not installed.

/** Configuration of a client: KafkaJS-style keys in `kafkaJS`, librdkafka properties beside it. */
export type ConfluentConfig = { kafkaJS?: Record<string, unknown> } & Record<string, unknown>;

/** A record as `producer.send()` takes it. */
export interface ConfluentMessage {
  key: string;
  value: Buffer;
  partition: number;
  headers: Record<string, string>;
}

/** The delivery report of a `send()` of one record: its partition and offset. */
export interface ConfluentRecordMetadata {
  topicName: string;
  partition: number;
  baseOffset?: string | null;
}

/** A producer; with a transactional id, `transaction()` returns the producer itself. */
export interface ConfluentProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(args: { topic: string; messages: ConfluentMessage[] }): Promise<ConfluentRecordMetadata[]>;
  transaction(): Promise<ConfluentProducer>;
  commit(): Promise<void>;
  abort(): Promise<void>;
  /** Unlike kafkajs, takes a consumer of the group rather than its id. */
  sendOffsets(args: {
    consumer: ConfluentConsumer;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<void>;
}

/** A consumed record. Header values are Buffers (arrays when a name repeats). */
export interface ConfluentKafkaMessage {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
  timestamp: string;
  headers?: Record<string, unknown>;
}

/** What `eachBatch` receives. */
export interface ConfluentBatchPayload {
  batch: { topic: string; partition: number; messages: ConfluentKafkaMessage[] };
  /** Marks the batch processed up to `offset`: records after it are fetched again when the batch ends. */
  resolveOffset(offset: string): void;
  /** Pauses this batch's partition (the batch turns stale); returns the function that resumes it. */
  pause(): () => void;
  isRunning(): boolean;
  isStale(): boolean;
}

/** A consumer: joins its group on `subscribe()`; `fromBeginning` and `autoCommit` are set at creation. */
export interface ConfluentConsumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(args: { topics: string[] }): Promise<void>;
  run(args: {
    eachBatchAutoResolve: boolean;
    partitionsConsumedConcurrently: number;
    eachBatch: (payload: ConfluentBatchPayload) => Promise<void>;
  }): Promise<void>;
  commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
}

/** The admin client. */
export interface ConfluentAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  listTopics(options?: { timeout?: number }): Promise<string[]>;
  createTopics(args: {
    timeout?: number;
    topics: {
      topic: string;
      numPartitions: number;
      replicationFactor: number;
      configEntries: { name: string; value: string }[];
    }[];
  }): Promise<boolean>;
  /** Unlike kafkajs, resolves with an array of topics rather than `{ topics }`. */
  fetchTopicMetadata(args: {
    topics: string[];
    timeout?: number;
  }): Promise<{ name: string; partitions: { partitionId: number; leader: number }[] }[]>;
  fetchOffsets(args: {
    groupId: string;
    topics: string[];
    timeout?: number;
    requireStableOffsets?: boolean;
  }): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
  fetchTopicOffsets(
    topic: string,
    options?: { timeout?: number },
  ): Promise<{ partition: number; high: string }[]>;
}

/** The client of one cluster: the KafkaJS-compatible `Kafka` class. */
export interface ConfluentKafka {
  producer(config: ConfluentConfig): ConfluentProducer;
  consumer(config: ConfluentConfig): ConfluentConsumer;
  admin(config?: ConfluentConfig): ConfluentAdmin;
}

/** The delivery report of one record produced through the native API; `opaque` is what `produce` was given. */
export interface ConfluentDeliveryReport {
  topic: string;
  partition: number;
  offset: number;
  opaque: unknown;
}

/**
 * The library's native (node-rdkafka style) producer, configured with librdkafka properties. With `dr_cb: true`
 * it emits one `delivery-report` per record, once the broker acknowledged it (or it failed for good).
 */
export interface ConfluentNativeProducer {
  /** Connects and reads the cluster's metadata; `callback` gets the error if either fails. */
  connect(metadataOptions: null, callback: (err: Error | null) => void): void;
  /** Queues one record; throws on a record librdkafka refuses at once (queue full, unknown partition). */
  produce(
    topic: string,
    partition: number,
    value: Buffer,
    key: string,
    timestamp: null,
    opaque: unknown,
    headers: Record<string, string>[],
  ): unknown;
  /** Serves delivery reports from librdkafka's background thread instead of a poll timer. */
  setPollInBackground(set: boolean): void;
  on(
    event: 'delivery-report',
    listener: (err: Error | null, report: ConfluentDeliveryReport) => void,
  ): ConfluentNativeProducer;
  /** Flushes what is queued (waiting at most `timeoutMs`), then disconnects. */
  disconnect(timeoutMs: number, callback: (err: Error | null) => void): void;
}

/** A record as the native consumer returns it. */
export interface ConfluentNativeMessage {
  topic: string;
  partition: number;
  offset: number;
  key?: Buffer | string | null;
  value: Buffer | null;
  timestamp?: number;
  headers?: Record<string, Buffer | string>[];
}

/** A partition (and an offset, where one is needed) in the native API's terms. */
export interface ConfluentNativePartition {
  topic: string;
  partition: number;
  offset?: number;
}

/** The library's native (node-rdkafka) consumer, as far as this package uses it. */
export interface ConfluentNativeConsumer {
  connect(metadataOptions: null, callback: (err: Error | null) => void): void;
  subscribe(topics: string[]): void;
  setDefaultConsumeTimeout(timeoutMs: number): void;
  setDefaultIsTimeoutOnlyForFirstMessage(on: boolean): void;
  /** Waits up to the consume timeout for a first record, then returns what is there, up to `count`. */
  consume(count: number, callback: (err: Error | null, messages: ConfluentNativeMessage[]) => void): void;
  commitCb(offsets: ConfluentNativePartition[], callback: (err: Error | null) => void): void;
  /** With a timeout, calls back once the seek took effect: later consumes return only the new position's records. */
  seek(partition: ConfluentNativePartition, timeoutMs: number, callback: (err?: Error) => void): void;
  pause(partitions: ConfluentNativePartition[]): void;
  resume(partitions: ConfluentNativePartition[]): void;
  assign(partitions: ConfluentNativePartition[]): void;
  unassign(): void;
  incrementalAssign(partitions: ConfluentNativePartition[]): void;
  incrementalUnassign(partitions: ConfluentNativePartition[]): void;
  rebalanceProtocol(): string;
  on(event: 'event.error', listener: (err: Error & { isFatal?: boolean }) => void): void;
  disconnect(callback: (err?: Error | null) => void): void;
}

/** What `require('@confluentinc/kafka-javascript')` returns, as far as this package uses it. */
export interface ConfluentLibrary {
  readonly KafkaJS: { readonly Kafka: new (config: ConfluentConfig) => ConfluentKafka };
  readonly Producer: new (config: Record<string, unknown>) => ConfluentNativeProducer;
  readonly KafkaConsumer: new (
    config: Record<string, unknown>,
    topicConfig: Record<string, unknown>,
  ) => ConfluentNativeConsumer;
}

/** True for a value shaped like the @confluentinc/kafka-javascript module. */
export function isConfluentLibrary(value: unknown): value is ConfluentLibrary {
  const library = value as {
    KafkaJS?: { Kafka?: unknown };
    Producer?: unknown;
    KafkaConsumer?: unknown;
  } | null;
  return (
    typeof library?.KafkaJS?.Kafka === 'function' &&
    typeof library.Producer === 'function' &&
    typeof library.KafkaConsumer === 'function'
  );
}

/** Requires the optional peer dependency, or says how to install it. */
export function loadConfluentLibrary(): ConfluentLibrary {
  let loaded: unknown;
  try {
    loaded = createRequire(import.meta.url)('@confluentinc/kafka-javascript');
  } catch (err) {
    throw new ConfigError('confluentTransport options', [
      `library: @confluentinc/kafka-javascript cannot be loaded (${(err as Error).message}); install it ` +
        '(npm i @confluentinc/kafka-javascript) or pass the module as `library`',
    ]);
  }
  if (!isConfluentLibrary(loaded)) {
    throw new ConfigError('confluentTransport options', [
      'library: @confluentinc/kafka-javascript has no KafkaJS.Kafka, Producer or KafkaConsumer (a version before 1.0?)',
    ]);
  }
  return loaded;
}
