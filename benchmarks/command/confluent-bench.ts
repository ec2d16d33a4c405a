// The body of confluent.ts, loaded once the native client is known to be there.
import {
  confluentTransport,
  confluentTransportDefaults as defaults,
  type ConfluentLibrary,
} from '../../packages/transport-confluent/src/index';
import * as c from './common';
import { benchService, runCommandBench } from './framework-side';

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
  const service = benchService(topic, {
    transport: confluentTransport({
      brokers: c.brokers,
      library: library as ConfluentLibrary,
      clientId: c.SERVICE,
      transactionalId: c.unique('tx'),
    }),
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
  await runCommandBench({
    id: 'confluent',
    client: '@confluentinc/kafka-javascript (librdkafka)',
    topic,
    args,
    service,
    raw: {
      connect: () => producer.connect(),
      disconnect: () => producer.disconnect(),
      // No partition given: the KafkaJS layer's partitioner is murmur2_random, the framework's choice for a key.
      send: async (messages) => {
        await producer.send({ topic, messages });
      },
    },
  });
}
