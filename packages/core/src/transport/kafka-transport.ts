import { hostname } from 'node:os';
import { Kafka, logLevel, type Admin, type Consumer, type Producer, type SASLOptions } from 'kafkajs';
import { parseOptions } from '../service/parse-options';
import type { RecordPosition } from '../store/position';
import { TransportError } from '../errors/errors';
import { toTransportError } from './kafka-errors';
import { isTopicNotReadyYet, waitForTopicLeaders } from './kafka-topic-leaders';
import { produceAll } from './kafka-produce';
import { fixKafkajsRequestQueue } from './kafkajs-request-queue';
import {
  kafkaTransportDefaults,
  kafkaTransportOptionsSchema,
  type KafkaTransportOptions,
} from './kafka-transport-options';
import { runKafkaConsumer } from './kafka-consume';
import { groupCommitters } from './offset-committer';
import { createSendQueue } from './send-queue';
import type {
  Consumption,
  ConsumeOptions,
  OutgoingRecord,
  ProduceOptions,
  TopicSpec,
  Transport,
} from './transport';

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

/**
 * The default transport, on kafkajs: an idempotent producer with acks=all behind a coalescing send queue, a
 * transactional producer for atomic sends, and read_committed consumers with explicit commits.
 */
export function kafkaTransport(options: KafkaTransportOptions): Transport {
  const opts = parseOptions(
    'kafkaTransport options',
    kafkaTransportOptionsSchema,
    kafkaTransportDefaults,
    options,
  );
  fixKafkajsRequestQueue();
  const kafka = new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    connectionTimeout: opts.connectionTimeoutMs,
    requestTimeout: opts.requestTimeoutMs,
    logLevel: logLevel.NOTHING,
    ...(opts.ssl ? { ssl: opts.ssl } : {}),
    ...(opts.sasl ? { sasl: opts.sasl as SASLOptions } : {}),
  });
  const transactionalId = opts.transactionalId ?? `${opts.clientId}-${hostname()}-${process.pid}`;
  let admin: Admin | undefined;
  let producer: Producer | undefined;
  let txProducer: Promise<Producer> | undefined;
  const consumptions = new Set<Consumption>();
  const committers = groupCommitters();
  const partitionCounts = new Map<string, number>();
  let connecting: Promise<void> | undefined;

  function connect(): Promise<void> {
    connecting ??= (async () => {
      const a = kafka.admin();
      const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      try {
        await a.connect();
        await p.connect();
      } catch (err) {
        connecting = undefined;
        await Promise.allSettled([a.disconnect(), p.disconnect()]);
        throw toTransportError(`cannot connect to Kafka at ${opts.brokers.join(',')}`, err);
      }
      admin = a;
      producer = p;
    })();
    return connecting;
  }

  function transactional(): Promise<Producer> {
    txProducer ??= (async () => {
      const p = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        transactionalId,
        allowAutoTopicCreation: false,
      });
      await p.connect();
      return p;
    })().catch((err: unknown) => {
      txProducer = undefined;
      throw toTransportError('cannot start the transactional producer', err);
    });
    return txProducer;
  }

  // A caller whose send timed out is told so at once, but the next produce call still waits for the timed-out
  // one to settle: two requests in flight would race for the idempotent producer's sequence numbers.
  let previous: Promise<unknown> = Promise.resolve();
  function serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = previous.then(fn, fn);
    previous = run.catch(() => undefined);
    return run;
  }

  const timeouts = {
    timeoutMs: opts.sendTimeoutMs,
    timeoutError: () =>
      new TransportError(`produce: no acknowledgement within ${opts.sendTimeoutMs} ms`, { retriable: true }),
  };
  const plainQueue = createSendQueue({
    ...timeouts,
    maxRecords: opts.maxBatchRecords,
    lingerMs: opts.lingerMs,
    send: async ({ records }) => {
      if (!producer)
        throw new TransportError('produce: the transport is not connected', { retriable: false });
      try {
        const p = producer;
        return await serially(() => produceAll(p, records));
      } catch (err) {
        throw toTransportError('produce', err);
      }
    },
  });

  const atomicQueue = createSendQueue({
    ...timeouts,
    maxRecords: opts.maxBatchRecords,
    lingerMs: opts.lingerMs,
    send: async ({ records, offsets }) => {
      const p = await transactional();
      const run = async (): Promise<RecordPosition[]> => {
        const tx = await p.transaction();
        try {
          const positions = await produceAll(tx, records);
          for (const [groupId, commits] of groupBy(offsets, (o) => o.groupId)) {
            await tx.sendOffsets({
              consumerGroupId: groupId,
              topics: [...groupBy(commits, (o) => o.topic)].map(([topic, cs]) => ({
                topic,
                partitions: cs.map((c) => ({ partition: c.partition, offset: c.offset })),
              })),
            });
          }
          await tx.commit();
          return positions;
        } catch (err) {
          await tx.abort().catch(() => undefined);
          throw err;
        }
      };
      try {
        return await serially(run);
      } catch (err) {
        throw toTransportError('transactional produce', err);
      }
    },
  });

  function requireAdmin(): Admin {
    if (!admin) throw new TransportError('admin: the transport is not connected', { retriable: false });
    return admin;
  }

  return {
    name: 'kafkajs',
    connect,
    async ensureTopics(topics: readonly TopicSpec[]) {
      const a = requireAdmin();
      try {
        const existing = new Set(await a.listTopics());
        const missing = topics.filter((t) => !existing.has(t.topic));
        if (missing.length > 0) {
          await a.createTopics({
            waitForLeaders: true,
            topics: missing.map((t) => ({
              topic: t.topic,
              numPartitions: t.partitions,
              replicationFactor: t.replicationFactor,
              configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
            })),
          });
        }
      } catch (err) {
        // Another instance may have created it between our list and create.
        if ((err as { type?: string }).type === 'TOPIC_ALREADY_EXISTS') return;
        if (!isTopicNotReadyYet(err)) throw toTransportError('ensure topics', err);
        try {
          await waitForTopicLeaders(
            a,
            topics.map((t) => t.topic),
            opts.requestTimeoutMs,
          );
        } catch (late) {
          throw toTransportError('ensure topics', late);
        }
      }
    },
    async partitionCount(topic: string) {
      const known = partitionCounts.get(topic);
      if (known !== undefined) return known;
      const a = requireAdmin();
      try {
        const meta = await a.fetchTopicMetadata({ topics: [topic] });
        const count = meta.topics[0]?.partitions.length ?? 0;
        if (count > 0) partitionCounts.set(topic, count);
        return count;
      } catch (err) {
        // A missing topic is an answer (0), not a fault: see the Transport contract.
        if ((err as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION') return 0;
        throw toTransportError(`metadata of ${topic}`, err);
      }
    },
    produce(records: readonly OutgoingRecord[], produceOptions: ProduceOptions = {}) {
      const offsets = produceOptions.offsets;
      if (offsets?.length) {
        return committers.flush(offsets.map((o) => o.groupId)).then(() => atomicQueue(records, offsets));
      }
      if (records.length === 0) return Promise.resolve([]);
      return produceOptions.atomic ? atomicQueue(records) : plainQueue(records);
    },
    async consume(consumeOptions: ConsumeOptions) {
      const consumer: Consumer = kafka.consumer({
        groupId: consumeOptions.groupId,
        readUncommitted: false,
        allowAutoTopicCreation: false,
        maxWaitTimeInMs: opts.maxWaitTimeMs,
        sessionTimeout: opts.sessionTimeoutMs,
        heartbeatInterval: opts.heartbeatIntervalMs,
      });
      const consumption = await runKafkaConsumer(consumer, consumeOptions, {
        concurrency: opts.partitionsConsumedConcurrently,
        commitIntervalMs: opts.commitIntervalMs,
        committers,
      });
      const tracked: Consumption = {
        async stop() {
          consumptions.delete(tracked);
          await consumption.stop();
        },
      };
      consumptions.add(tracked);
      return tracked;
    },
    async committedOffsets(groupId: string, topic: string) {
      try {
        const res = await requireAdmin().fetchOffsets({ groupId, topics: [topic] });
        const out = new Map<number, string>();
        for (const p of res[0]?.partitions ?? []) if (p.offset !== '-1') out.set(p.partition, p.offset);
        return out;
      } catch (err) {
        throw toTransportError(`committed offsets of ${groupId}`, err);
      }
    },
    async endOffsets(topic: string) {
      try {
        const res = await requireAdmin().fetchTopicOffsets(topic);
        return new Map(res.map((p) => [p.partition, p.high] as const));
      } catch (err) {
        throw toTransportError(`end offsets of ${topic}`, err);
      }
    },
    async deleteGroups(groupIds: readonly string[]) {
      if (groupIds.length === 0) return;
      try {
        await requireAdmin().deleteGroups([...groupIds]);
      } catch (err) {
        const failed = (err as { groups?: { error?: { type?: string } }[] }).groups;
        if (failed?.length && failed.every((g) => g.error?.type === 'GROUP_ID_NOT_FOUND')) return;
        throw toTransportError(`delete groups ${groupIds.join(', ')}`, err);
      }
    },
    async disconnect() {
      await Promise.allSettled([...consumptions].map((c) => c.stop()));
      const tx = txProducer;
      txProducer = undefined;
      const closing: Promise<unknown>[] = [];
      if (producer) closing.push(producer.disconnect());
      if (admin) closing.push(admin.disconnect());
      if (tx) closing.push(tx.then((p) => p.disconnect()));
      producer = undefined;
      admin = undefined;
      connecting = undefined;
      await Promise.allSettled(closing);
    },
  };
}
