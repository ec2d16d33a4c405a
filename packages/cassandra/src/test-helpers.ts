// Helpers for this package's *.int.spec.ts files; not part of the public API.
import cassandra from 'cassandra-driver';
import { afterAll, beforeAll } from 'vitest';
import { serviceConfig } from '../../../scripts/services/service-config.mjs';
import { cassandraStateStore } from './cassandra-state-store';

const cfg = serviceConfig();

/** Where the integration tests find Cassandra (the one `pnpm services up cassandra` starts, unless configured). */
export const connection = {
  contactPoints: cfg.cassandraContactPoints,
  localDataCenter: cfg.cassandraLocalDataCenter,
};

/**
 * A keyspace no other run uses, created by the store's `init()` before the file's tests and dropped after them,
 * with a client connected for that time.
 */
export function freshKeyspace(label: string): { keyspace: string; client: cassandra.Client } {
  const keyspace = `lty_${label}_${process.pid}_${Date.now()}`;
  const client = new cassandra.Client(connection);
  beforeAll(async () => {
    await client.connect();
    await cassandraStateStore({ client }, { keyspace }).init();
  });
  afterAll(async () => {
    try {
      await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    } finally {
      await client.shutdown();
    }
  });
  return { keyspace, client };
}
