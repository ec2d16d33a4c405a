import { randomUUID } from 'node:crypto';
import { describeTransportContract } from '@listen-to-yourself/testkit';
import { confluentTransport } from './confluent-transport';
import type { ConfluentTransportOptions } from './confluent-transport-options';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

// Each client is its own instance, as a separate process would be: its own transactional id.
const transport = (more: Partial<ConfluentTransportOptions> = {}) =>
  confluentTransport({
    brokers,
    clientId: 'transport-contract',
    transactionalId: `transport-contract-${randomUUID()}`,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 500,
    maxWaitTimeMs: 100,
    ...more,
  });

describeTransportContract('confluent', async () => ({ transport: transport() }));

// The library's KafkaJS-compatible consumer, still a choice (`consumerApi: 'compatible'`), keeps the contract too.
describeTransportContract('confluent, compatible consumer', async () => ({
  transport: transport({ consumerApi: 'compatible' }),
}));
