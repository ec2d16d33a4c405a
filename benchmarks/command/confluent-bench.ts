// The body of confluent.ts, loaded once the native client is known to be there.
import { createService, inMemoryStateStore, onOwnEvent } from '../../packages/core/src/index';
import {
  confluentTransport,
  confluentTransportDefaults as defaults,
  type ConfluentLibrary,
} from '../../packages/transport-confluent/src/index';
import type { Side } from './closed-loop';
import * as c from './common';
import { compare } from './compare';
import { frameworkSide } from './framework-side';

/** The part of @confluentinc/kafka-javascript's KafkaJS API the hand-written producer uses. */
interface RawLibrary {
  readonly KafkaJS: {
    readonly Kafka: new (config: Record<string, unknown>) => {
      producer(config: Record<string, unknown>): RawProducer;
    };
  };
}
interface RawProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(args: { topic: string; messages: c.RawRecord[] }): Promise<unknown>;
}

export async function runConfluentBenchmark(library: unknown): Promise<void> {
  const args = c.parseArgs(3000);
  const topic = c.unique('cmd');
  const service = createService({
    name: c.SERVICE,
    transport: confluentTransport({
      brokers: c.brokers,
      library: library as ConfluentLibrary,
      clientId: c.SERVICE,
      transactionalId: c.unique('tx'),
    }),
    // The store is never read on this path: the self-subscriber is not started.
    store: inMemoryStateStore(),
    topic: { name: topic },
    ensureTopics: false,
    subscribe: false,
    commands: [c.Deposit],
    handlers: [onOwnEvent(c.Deposited, (s: number | undefined, e) => (s ?? 0) + e.payload.amount)],
  });

  // The settings the transport gives its plain producer (confluent-transport.ts), so that only the code differs.
  const kafka = new (library as RawLibrary).KafkaJS.Kafka({
    'retry.backoff.ms': 100,
    'retry.backoff.max.ms': 1000,
    kafkaJS: {
      brokers: c.brokers,
      clientId: 'lty-bench-raw',
      connectionTimeout: defaults.connectionTimeoutMs,
      requestTimeout: defaults.requestTimeoutMs,
      logLevel: 0,
    },
  });
  const producer = kafka.producer({
    kafkaJS: { idempotent: true, acks: -1, allowAutoTopicCreation: false },
    'linger.ms': defaults.lingerMs,
    'message.timeout.ms': defaults.sendTimeoutMs,
    retries: 2_147_483_647,
  });
  // No partition given: the KafkaJS layer's partitioner is murmur2_random, the framework's choice for a key.
  const send = async (messages: c.RawRecord[]) => {
    await producer.send({ topic, messages });
  };

  const sides: [Side, Side, Side] = [
    frameworkSide(service),
    { name: 'raw per-call', perCall: 1, call: (seq) => send([c.rawRecord(seq)]) },
    { name: 'raw batched', perCall: c.BATCH, call: (seq) => send(c.rawRecords(seq, c.BATCH)) },
  ];
  try {
    await c.createTopic(topic);
    await Promise.all([service.start(), producer.connect()]);
    await compare({ id: 'confluent', client: '@confluentinc/kafka-javascript (librdkafka)', sides, args });
  } finally {
    await Promise.allSettled([service.stop(), producer.disconnect()]);
    await c.deleteTopic(topic);
  }
}
