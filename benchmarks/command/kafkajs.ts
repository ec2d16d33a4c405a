// Command path on the default (kafkajs) transport: service.send() against the kafkajs producer a user would
// write instead, one record per send and 100 per send, same topic, records and settings, in one run.
// Run: node --conditions=@listen-to-yourself/source --import tsx benchmarks/command/kafkajs.ts [commands per point, default 5000] [rounds, default 3]
import { Kafka, logLevel, type Message } from 'kafkajs';
import {
  createService,
  inMemoryStateStore,
  kafkaTransportDefaults,
  onOwnEvent,
} from '../../packages/core/src/index';
import type { Side } from './closed-loop';
import * as c from './common';
import { compare } from './compare';
import { frameworkSide } from './framework-side';

const args = c.parseArgs(5000);
const topic = c.unique('cmd');

const service = createService({
  name: c.SERVICE,
  kafka: { brokers: c.brokers },
  // The store is never read on this path: the self-subscriber is not started.
  store: inMemoryStateStore(),
  topic: { name: topic },
  ensureTopics: false,
  subscribe: false,
  commands: [c.Deposit],
  handlers: [onOwnEvent(c.Deposited, (s: number | undefined, e) => (s ?? 0) + e.payload.amount)],
});

// The producer the framework's transport uses (kafka-transport.ts): idempotent, one request in flight, acks=-1.
const kafka = new Kafka({
  clientId: 'lty-bench-raw',
  brokers: c.brokers,
  connectionTimeout: kafkaTransportDefaults.connectionTimeoutMs,
  requestTimeout: kafkaTransportDefaults.requestTimeoutMs,
  logLevel: logLevel.NOTHING,
});
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
// kafkajs' default partitioner is Kafka's murmur2, as the framework's: the same key lands on the same partition.
const send = async (messages: Message[]) => {
  await producer.send({ topic, acks: -1, messages });
};

const sides: [Side, Side, Side] = [
  frameworkSide(service),
  { name: 'raw per-call', perCall: 1, call: (seq) => send([c.rawRecord(seq)]) },
  { name: 'raw batched', perCall: c.BATCH, call: (seq) => send(c.rawRecords(seq, c.BATCH)) },
];

try {
  await c.createTopic(topic);
  await Promise.all([service.start(), producer.connect()]);
  await compare({ id: 'kafkajs', client: 'kafkajs', sides, args });
} finally {
  await Promise.allSettled([service.stop(), producer.disconnect()]);
  await c.deleteTopic(topic);
}
