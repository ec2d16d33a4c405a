import { MongoClient } from 'mongodb';
import { describeStateStoreContract } from '@listen-to-yourself/testkit';
import { afterAll, beforeAll } from 'vitest';
import { serviceConfig } from '../../../scripts/services/service-config.mjs';
import { mongoStateStore } from './index';

// Runs against FerretDB locally, or any MongoDB-wire server named by MONGO_URL. One database per run, dropped at
// the end; the suite's cases use random entity ids inside it.
const url = serviceConfig().mongoUrl;
const dbName = `lty_contract_${process.pid}_${Date.now()}`;
const client = new MongoClient(url, { serverSelectionTimeoutMS: 10_000 });

beforeAll(() => client.connect());
afterAll(async () => {
  try {
    await client.db(dbName).dropDatabase();
  } finally {
    await client.close();
  }
});

describeStateStoreContract('mongo', async () => ({ store: mongoStateStore({ client, dbName }) }), {
  expiringDedup: {
    windowMs: 200,
    factory: async () => ({
      store: mongoStateStore({ client, dbName }, { collection: 'short_dedup', dedupWindowMs: 200 }),
    }),
  },
  userOwnedClient: async () => {
    const own = new MongoClient(url, { serverSelectionTimeoutMS: 10_000 });
    return {
      store: mongoStateStore({ client: own, dbName }),
      assertUsable: async () => void (await own.db(dbName).command({ ping: 1 })),
      cleanup: () => own.close(),
    };
  },
});

// The store's own client (a URL instead of a client): connected on first use, closed by close().
describeStateStoreContract('mongo (store-owned client)', async () => ({
  store: mongoStateStore({ url, dbName }),
}));
