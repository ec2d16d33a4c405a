import { inMemoryStateStore } from '@listen-to-yourself/core';
import { describeStateStoreContract } from './index';

// One store holds the data; each factory call hands out a new object over it, which is what a restarted process
// sees with a real database (the in-memory store's init and close do nothing).
const shared = inMemoryStateStore();

describeStateStoreContract('memory', async () => ({ store: { ...shared } }), {
  expiringDedup: {
    windowMs: 20,
    factory: async () => ({ store: inMemoryStateStore({ dedupWindowMs: 20 }) }),
  },
});
