import { z } from 'zod';
import { TransportError } from '../errors/errors';
import { parseOptions } from '../service/parse-options';
import { createCluster, type InMemoryCluster } from './in-memory-cluster';
import type { PartitionAssigner } from './in-memory-assign';
import { createGroups, type InMemoryGroups } from './in-memory-group';
import type { Consumption, IncomingRecord, Transport } from './transport';

export type { PartitionAssigner } from './in-memory-assign';

export const inMemoryTransportDefaults = Object.freeze({
  /** How a group's partitions are split among its members. @defaultValue 'round-robin' (kafkajs' default) */
  assigner: 'round-robin',
  /** Most records handed to one `eachBatch` call. @defaultValue 100 */
  maxBatchRecords: 100,
  /**
   * Pause before records a batch left uncommitted are delivered again, so a batch that keeps failing does not
   * spin. @defaultValue 10
   */
  redeliveryDelayMs: 10,
  /** Default bound of `idle()`. @defaultValue 5000 */
  idleTimeoutMs: 5000,
});

const optionsSchema = z
  .object({
    assigner: z.enum(['round-robin', 'range']),
    maxBatchRecords: z.number().int().positive(),
    redeliveryDelayMs: z.number().int().min(0),
    idleTimeoutMs: z.number().int().positive(),
  })
  .strict();

/** Options of {@link inMemoryTransport}; every field has a default in `inMemoryTransportDefaults`. */
export interface InMemoryTransportOptions {
  /** How a group's partitions are spread over its members. @defaultValue 'round-robin' */
  assigner?: PartitionAssigner;
  /** Most records handed to one `eachBatch` call. @defaultValue 100 */
  maxBatchRecords?: number;
  /** Pause before records a batch left uncommitted are delivered again. @defaultValue 10 */
  redeliveryDelayMs?: number;
  /** Default bound of `idle()`. @defaultValue 5000 */
  idleTimeoutMs?: number;
}

/** Faults a test injects into the in-memory broker. They apply to every client of the same cluster. */
export interface InMemoryFaults {
  /** The next produce call rejects with `error` (default: a retriable TransportError) and writes nothing. */
  failNextProduce(error?: unknown): void;
  /** The next `count` produce calls reject with `error` (default: a retriable TransportError), writing nothing. */
  failProduces(count: number, error?: unknown): void;
  /**
   * The next produce call writes its records (and offsets) and then rejects with a retriable TransportError, as
   * when an acknowledgement is lost: a caller that retries writes the records twice.
   */
  loseNextAck(): void;
  /**
   * Crash after apply, before commit: the next batch a member of `groupId` starts runs to its end, but its
   * commits are dropped; then the member leaves the group and rejoins as a new member, so the batch's records
   * are delivered again from the committed offset. Offsets committed inside a produce (`offsets`) still count,
   * as a Kafka transaction would. Resolves once the member has rejoined; no need to await it.
   */
  crashConsumerAfterBatch(groupId: string): Promise<void>;
  /**
   * A consumer crash: the next member of `groupId` to start a batch stops instead, leaves the group (its
   * partitions go to the other members) and reports `error` through `onCrash`. @defaultValue error: a retriable
   * TransportError
   */
  failConsumer(groupId: string, error?: unknown): void;
  /**
   * Moves the group's committed offset of one partition to `fromOffset` once the partition's in-flight batch has
   * ended (as `kafka-consumer-groups --reset-offsets` would), so the records from there are delivered again.
   */
  redeliver(groupId: string, topic: string, partition: number, fromOffset: string | number): Promise<void>;
  /**
   * Broker unreachable: produce, commit, heartbeat, connect and admin calls reject with a retriable
   * TransportError and consumers fetch nothing. In-flight batches keep running.
   */
  dropConnection(): void;
  /** Ends `dropConnection()`; consumers resume where their group committed. */
  restoreConnection(): void;
}

/**
 * A Transport that models Kafka in process memory, for fast unit tests: topics with partitions and offsets,
 * consumer groups whose members split partitions and rebalance as they join and leave, commits, and faults.
 */
export interface InMemoryTransport extends Transport {
  readonly faults: InMemoryFaults;
  /**
   * Resolves once the group (every group with members when omitted) has committed up to the end of each
   * partition of its topics and has no batch in flight. Rejects with TimeoutError after `timeoutMs`, naming
   * what lags; rejects at once for a group that never existed.
   */
  idle(groupId?: string, options?: { timeoutMs?: number }): Promise<void>;
  /** A topic's records as a consumer reads them: one partition, or all in partition then offset order. */
  records(topic: string, partition?: number): IncomingRecord[];
  /**
   * Another client of the same in-memory cluster, as a second process would have: its own connection, consumers
   * and `disconnect()`, with topics, offsets, groups and faults shared. Use one per service instance.
   */
  client(): InMemoryTransport;
}

/**
 * Makes a new in-memory Kafka cluster and a client of it. Records are visible as soon as `produce()` resolves
 * (an atomic produce appends all its records at once); offsets are contiguous (no transaction markers).
 */
export function inMemoryTransport(options: InMemoryTransportOptions = {}): InMemoryTransport {
  const opts = parseOptions('inMemoryTransport options', optionsSchema, inMemoryTransportDefaults, options);
  const cluster = createCluster();
  const groups = createGroups(cluster, opts);
  const faults: InMemoryFaults = {
    failNextProduce: (error) => faults.failProduces(1, error),
    failProduces(count, error) {
      for (let i = 0; i < count; i++) {
        cluster.faults.failures.push(
          error ?? new TransportError('produce: injected failure, nothing was written', { retriable: true }),
        );
      }
    },
    loseNextAck: () => void cluster.faults.lostAcks++,
    crashConsumerAfterBatch: (groupId) => groups.crashAfterBatch(groupId),
    failConsumer: (groupId, error) =>
      groups.failNext(groupId, error ?? new TransportError('consumer: injected crash', { retriable: true })),
    redeliver: (groupId, topic, partition, fromOffset) =>
      groups.seek(groupId, topic, partition, String(fromOffset)),
    dropConnection: () => cluster.setReachable(false),
    restoreConnection: () => cluster.setReachable(true),
  };
  return createClient(cluster, groups, faults, opts.idleTimeoutMs);
}

function createClient(
  cluster: InMemoryCluster,
  groups: InMemoryGroups,
  faults: InMemoryFaults,
  idleTimeoutMs: number,
): InMemoryTransport {
  let connected = false;
  const consumptions = new Set<Consumption>();

  // Synchronous checks inside async methods: a failure rejects the call, it never throws at the caller.
  function ready(what: string): void {
    if (!connected) throw new TransportError(`${what}: the transport is not connected`, { retriable: false });
    cluster.assertReachable(what);
  }

  const self: InMemoryTransport = {
    name: 'in-memory',
    async connect() {
      cluster.assertReachable('connect');
      connected = true;
    },
    async ensureTopics(topics) {
      ready('ensure topics');
      cluster.createTopics(topics);
    },
    async partitionCount(topic) {
      ready(`metadata of ${topic}`);
      return cluster.partitionCount(topic);
    },
    async produce(records, produceOptions = {}) {
      ready('produce');
      return cluster.append(records, produceOptions.offsets ?? []);
    },
    async consume(options) {
      ready(`join ${options.groupId}`);
      for (const t of options.topics) {
        if (cluster.partitionCount(t) === 0) {
          throw new TransportError(`cannot join ${options.groupId}: topic ${t} does not exist`, {
            retriable: false,
          });
        }
      }
      const member = groups.join(options);
      const tracked: Consumption = {
        stop() {
          consumptions.delete(tracked);
          return member.stop();
        },
      };
      consumptions.add(tracked);
      return tracked;
    },
    async committedOffsets(groupId, topic) {
      ready(`committed offsets of ${groupId}`);
      const out = new Map<number, string>();
      for (let p = 0; p < cluster.partitionCount(topic); p++) {
        const at = cluster.committed(groupId, topic, p);
        if (at !== undefined) out.set(p, at.toString());
      }
      return out;
    },
    async endOffsets(topic) {
      ready(`end offsets of ${topic}`);
      const count = cluster.partitionCount(topic);
      if (count === 0)
        throw new TransportError(`end offsets: topic ${topic} does not exist`, { retriable: false });
      return new Map(
        Array.from({ length: count }, (_, p) => [p, String(cluster.log(topic, p).length)] as const),
      );
    },
    async disconnect() {
      await Promise.allSettled([...consumptions].map((c) => c.stop()));
      connected = false;
    },
    faults,
    idle: (groupId, idleOptions = {}) => groups.idle(groupId, idleOptions.timeoutMs ?? idleTimeoutMs),
    records(topic, partition) {
      const count = cluster.partitionCount(topic);
      const partitions = partition === undefined && count > 0 ? [...Array(count).keys()] : [partition ?? 0];
      return partitions.flatMap((p) =>
        cluster
          .log(topic, p)
          .map((r) => ({ ...r, key: r.key && Buffer.from(r.key), value: r.value && Buffer.from(r.value) })),
      );
    },
    client: () => createClient(cluster, groups, faults, idleTimeoutMs),
  };
  return self;
}
