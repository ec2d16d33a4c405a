import cassandra from 'cassandra-driver';
import { describeStateStoreContract } from '@listen-to-yourself/testkit';
import { afterAll, beforeAll } from 'vitest';
import { serviceConfig } from '../../../scripts/services/service-config.mjs';
import { cassandraStateStore } from './index';

// One keyspace per run, dropped at the end; the suite's cases use random entity ids inside it.
const cfg = serviceConfig();
const keyspace = `lty_contract_${process.pid}_${Date.now()}`;
const connection = {
  contactPoints: cfg.cassandraContactPoints,
  localDataCenter: cfg.cassandraLocalDataCenter,
};
const client = new cassandra.Client(connection);

beforeAll(() => client.connect());
afterAll(async () => {
  try {
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  } finally {
    await client.shutdown();
  }
});

describeStateStoreContract(
  'cassandra',
  async () => ({ store: cassandraStateStore({ client }, { keyspace }) }),
  {
    // Cassandra TTLs count whole seconds.
    expiringDedup: {
      windowMs: 1000,
      factory: async () => ({
        store: cassandraStateStore({ client }, { keyspace, table: 'short_dedup', dedupTtlSeconds: 1 }),
      }),
    },
    userOwnedClient: async () => {
      const own = new cassandra.Client(connection);
      return {
        store: cassandraStateStore({ client: own }, { keyspace }),
        assertUsable: async () => void (await own.execute('SELECT release_version FROM system.local')),
        cleanup: () => own.shutdown(),
      };
    },
  },
);

// The store's own client (contact points instead of a client): opened lazily, shut down by close().
describeStateStoreContract('cassandra (store-owned client)', async () => ({
  store: cassandraStateStore({ ...connection, keyspace }),
}));
