import { randomUUID } from 'node:crypto';
// Core cannot depend on the testkit (the testkit depends on core), so its own specs import the suite's source.
import { describeTransportContract } from '../../../testkit/src/index';
import { kafkaTransport } from './kafka-transport';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

describeTransportContract('kafkajs', async () => ({
  // Each client is its own instance, as a separate process would be: its own transactional id.
  transport: kafkaTransport({
    brokers,
    clientId: 'transport-contract',
    transactionalId: `transport-contract-${randomUUID()}`,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 500,
    maxWaitTimeMs: 100,
  }),
}));
