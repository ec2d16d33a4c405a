// Command path on the default (kafkajs) transport: service.send() against the kafkajs producer a user would
// write instead, one record per send and 100 per send, same topic, records and settings, in one run.
// Run: node --conditions=@listen-to-yourself/source --import tsx benchmarks/command/kafkajs.ts [commands per point, default 5000] [rounds, default 3]
import { Kafka, logLevel } from 'kafkajs';
import { kafkaTransportDefaults } from '../../packages/core/src/index';
import * as c from './common';
import { benchService, runCommandBench } from './framework-side';

const topic = c.unique('cmd');

// The producer the framework's transport uses (kafka-transport.ts): idempotent, one request in flight, acks=-1.
const kafka = new Kafka({
  clientId: 'lty-bench-raw',
  brokers: c.brokers,
  connectionTimeout: kafkaTransportDefaults.connectionTimeoutMs,
  requestTimeout: kafkaTransportDefaults.requestTimeoutMs,
  logLevel: logLevel.NOTHING,
});
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });

await runCommandBench({
  id: 'kafkajs',
  client: 'kafkajs',
  topic,
  args: c.parseArgs(5000),
  service: benchService(topic, { kafka: { brokers: c.brokers } }),
  raw: {
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
    // kafkajs' default partitioner is Kafka's murmur2, as the framework's: the same key lands on the same partition.
    send: async (messages) => {
      await producer.send({ topic, acks: -1, messages });
    },
  },
});
