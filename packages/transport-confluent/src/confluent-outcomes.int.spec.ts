import { randomUUID } from 'node:crypto';
import { inMemoryStateStore } from '@listen-to-yourself/core';
import { describeOutcomeContract } from '@listen-to-yourself/testkit';
import { confluentTransport } from './confluent-transport';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

// Token outcomes need nothing of a transport beyond its contract (the DLQ is read with `consume`), so the
// librdkafka transport runs the same suite as kafkajs; the stores are covered there.
describeOutcomeContract('confluent + in-memory store', async () => ({
  transport: () =>
    confluentTransport({
      brokers,
      clientId: 'outcomes-test',
      transactionalId: `outcomes-test-${randomUUID()}`,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 500,
      maxWaitTimeMs: 100,
    }),
  store: inMemoryStateStore(),
}));
