import { hostname } from 'node:os';
import { TransportError } from '@listen-to-yourself/core';
import {
  createSendQueue,
  groupCommitters,
  type Consumption,
  type ConsumeOptions,
  type OutgoingRecord,
  type ProduceOptions,
  type RecordPosition,
  type TopicSpec,
  type Transport,
} from '@listen-to-yourself/core/transport-kit';
import { loadConfluentLibrary, type ConfluentConfig, type ConfluentConsumer } from './confluent-client';
import { runConfluentConsumer } from './confluent-consume';
import { consumerConfig, nativeConsumerConfig } from './confluent-consumer-config';
import { isFatal, toTransportError } from './confluent-errors';
import { connectNativeProducer, type NativeProducer } from './confluent-native-producer';
import { produceInTransaction } from './confluent-produce';
import { RETRY_BACKOFF, nativeProducerConfig } from './confluent-producer-config';
import { createConfluentAdmin } from './confluent-admin';
import { parseConfluentOptions, type ConfluentTransportOptions } from './confluent-transport-options';
import { lazyClient, type LazyClient } from './lazy-client';
import { runNativeConsumer } from './native-consume';

/** How long a closing producer waits for its queued records to be acknowledged, as the compatible API's does. */
const CLOSE_FLUSH_MS = 5000;

/**
 * A transport on librdkafka through @confluentinc/kafka-javascript (plain sends on its native producer API, the
 * rest on its KafkaJS-compatible API), with the kafkajs transport's guarantees: an idempotent producer with
 * acks=all, one position per record from each record's own delivery report, atomic sends in transactions (with
 * consumer offsets), read_committed consumers with explicit commits, and a per-caller send timeout. Concurrent
 * plain sends share produce requests through librdkafka's own batching (`lingerMs`); concurrent atomic sends
 * share a transaction.
 */
export function confluentTransport(options: ConfluentTransportOptions): Transport {
  const opts = parseConfluentOptions(options);
  const library = opts.library ?? loadConfluentLibrary();
  const kafka = new library.KafkaJS.Kafka({
    ...RETRY_BACKOFF,
    ...opts.librdkafka,
    kafkaJS: {
      brokers: opts.brokers,
      clientId: opts.clientId,
      connectionTimeout: opts.connectionTimeoutMs,
      requestTimeout: opts.requestTimeoutMs,
      logLevel: 0, // NOTHING: failures reach callers as errors
      ...(opts.ssl ? { ssl: true } : {}),
      ...(opts.sasl ? { sasl: opts.sasl } : {}),
    },
  });
  const transactionalId = opts.transactionalId ?? `${opts.clientId}-${hostname()}-${process.pid}`;

  // Transactions stay on the KafkaJS-compatible API (one transaction at a time, sendOffsets with a consumer),
  // with the plain producer's settings (confluent-producer-config.ts) in its terms.
  const transactionalConfig: ConfluentConfig = {
    kafkaJS: {
      idempotent: true,
      acks: -1,
      allowAutoTopicCreation: false,
      transactionalId,
      transactionTimeout: opts.transactionTimeoutMs,
    },
    'linger.ms': opts.lingerMs,
    'message.timeout.ms': opts.sendTimeoutMs,
    retries: 2_147_483_647,
  };
  const connected = async <C extends { connect(): Promise<void> }>(client: C): Promise<C> => {
    await client.connect();
    return client;
  };
  const disconnect = (client: { disconnect(): Promise<void> }) => client.disconnect();

  const admin = createConfluentAdmin(kafka, opts.adminTimeoutMs);
  // Plain sends go through the native API: a delivery report per record, without the compatibility layer's
  // promise, message conversion and result aggregation per `send()`.
  const plain: LazyClient<NativeProducer> = lazyClient(
    () =>
      connectNativeProducer(library, nativeProducerConfig(opts), {
        timeoutMs: opts.sendTimeoutMs,
        flushTimeoutMs: CLOSE_FLUSH_MS,
        timeoutError,
        fail: (err) => {
          replaceIfBroken(plain, err);
          return toTransportError('produce', err);
        },
      }),
    (producer) => producer.close(),
  );
  const transactional = lazyClient(() => connected(kafka.producer(transactionalConfig)), disconnect);
  // This client's sendOffsets takes a consumer of the group: one that never subscribes, so it never joins.
  const offsetConsumers = new Map<string, LazyClient<ConfluentConsumer>>();
  const offsetConsumer = (groupId: string): Promise<ConfluentConsumer> => {
    let c = offsetConsumers.get(groupId);
    if (!c) {
      c = lazyClient(
        () => connected(kafka.consumer({ kafkaJS: { groupId, autoCommit: false } })),
        disconnect,
      );
      offsetConsumers.set(groupId, c);
    }
    return c.get();
  };
  const consumptions = new Set<Consumption>();
  const committers = groupCommitters();
  let isConnected = false;

  const timeoutError = () =>
    new TransportError(`produce: no acknowledgement within ${opts.sendTimeoutMs} ms`, { retriable: true });

  function producePlain(records: readonly OutgoingRecord[]): Promise<RecordPosition[]> {
    if (!isConnected) {
      return Promise.reject(
        new TransportError('produce: the transport is not connected', { retriable: false }),
      );
    }
    // The connected producer keeps its own deadline per call; only a producer still to (re)start needs this one.
    const ready = plain.ready();
    if (ready) return ready.produce(records);
    const starting = plain.get().then(
      (producer) => producer.produce(records),
      (err: unknown) => {
        throw toTransportError('cannot start the producer', err);
      },
    );
    return withDeadline(starting);
  }

  function replaceIfBroken(client: LazyClient<unknown>, err: unknown): void {
    // A fatal error leaves the producer unusable; a fenced one must stay failed, or it would fence its successor.
    if (isFatal(err) && toTransportError('', err).retriable) client.reset();
  }

  function withDeadline<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timeoutError()), opts.sendTimeoutMs);
    });
    return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
  }

  const atomicQueue = createSendQueue({
    maxRecords: opts.maxBatchRecords,
    lingerMs: 0,
    timeoutMs: opts.sendTimeoutMs,
    timeoutError,
    send: async ({ records, offsets }) => {
      if (!isConnected)
        throw new TransportError('produce: the transport is not connected', { retriable: false });
      const producer = await transactional.get().catch((err: unknown) => {
        throw toTransportError('cannot start the transactional producer', err);
      });
      try {
        return await produceInTransaction(producer, records, offsets, offsetConsumer, () =>
          transactional.reset(),
        );
      } catch (err) {
        replaceIfBroken(transactional, err);
        throw toTransportError('transactional produce', err);
      }
    },
  });

  return {
    name: 'confluent',
    async connect() {
      try {
        await Promise.all([admin.connect(), plain.get()]);
        isConnected = true;
      } catch (err) {
        await Promise.allSettled([admin.close(), plain.close()]);
        throw toTransportError(`cannot connect to Kafka at ${opts.brokers.join(',')}`, err);
      }
    },
    ensureTopics: (topics: readonly TopicSpec[]) => admin.ensureTopics(topics),
    partitionCount: (topic: string) => admin.partitionCount(topic),
    produce(records: readonly OutgoingRecord[], produceOptions: ProduceOptions = {}) {
      const offsets = produceOptions.offsets;
      if (offsets?.length) {
        return committers.flush(offsets.map((o) => o.groupId)).then(() => atomicQueue(records, offsets));
      }
      if (records.length === 0) return Promise.resolve([]);
      return produceOptions.atomic ? atomicQueue(records) : producePlain(records);
    },
    async consume(consumeOptions: ConsumeOptions) {
      if (!isConnected)
        throw new TransportError('consume: the transport is not connected', { retriable: false });
      const settings = {
        concurrency: opts.partitionsConsumedConcurrently,
        commitIntervalMs: opts.commitIntervalMs,
        committers,
      };
      const track = (started: Consumption) => consumptions.add(started);
      const consumption =
        opts.consumerApi === 'native'
          ? await runNativeConsumer(
              (rebalance) => {
                const { config, topicConfig } = nativeConsumerConfig(opts, consumeOptions, rebalance);
                return new library.KafkaConsumer(config, topicConfig);
              },
              consumeOptions,
              { ...settings, maxBatchRecords: opts.maxConsumeBatchRecords },
              track,
            )
          : await runConfluentConsumer(
              (membership) => kafka.consumer(consumerConfig(opts, consumeOptions, membership)),
              consumeOptions,
              settings,
              track,
            );
      const tracked: Consumption = {
        async stop() {
          consumptions.delete(consumption);
          await consumption.stop();
        },
      };
      return tracked;
    },
    committedOffsets: (groupId: string, topic: string) => admin.committedOffsets(groupId, topic),
    endOffsets: (topic: string) => admin.endOffsets(topic),
    async disconnect() {
      isConnected = false;
      await Promise.allSettled([...consumptions].map((c) => c.stop()));
      const groups = [...offsetConsumers.values()];
      offsetConsumers.clear();
      await Promise.allSettled([
        plain.close(),
        transactional.close(),
        admin.close(),
        ...groups.map((c) => c.close()),
      ]);
    },
  };
}
