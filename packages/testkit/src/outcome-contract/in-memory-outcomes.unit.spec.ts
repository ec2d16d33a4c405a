import { inMemoryStateStore, inMemoryTransport } from '@listen-to-yourself/core';
import { describeOutcomeContract } from '../index';

describeOutcomeContract('in-memory transport + in-memory store', async () => {
  const cluster = inMemoryTransport();
  return { transport: () => cluster.client(), store: inMemoryStateStore() };
});
