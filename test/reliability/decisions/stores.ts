import cassandra from 'cassandra-driver';
import pg from 'pg';
import type { StateStore } from '../../../packages/core/src/index';
import { cassandraStateStore } from '../../../packages/cassandra/src/index';
import { postgresStateStore } from '../../../packages/postgres/src/index';
import { serviceConfig } from '../../../scripts/services/service-config.mjs';

export type StoreKind = 'postgres' | 'cassandra';

/** The run's store (a Postgres schema or a Cassandra keyspace named `space`) and how to remove it afterwards. */
export function openStore(kind: StoreKind, space: string): { store: StateStore; drop: () => Promise<void> } {
  const cfg = serviceConfig();
  if (kind === 'postgres') {
    const store = postgresStateStore({ connectionString: cfg.postgresUrl, max: 4 }, { schema: space });
    const drop = async () => {
      const pool = new pg.Pool({ connectionString: cfg.postgresUrl, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS "${space}" CASCADE`);
      await pool.end();
    };
    return { store: store, drop };
  }
  if (kind !== 'cassandra') throw new Error(`unknown store ${String(kind)}`);
  const client = new cassandra.Client({
    contactPoints: cfg.cassandraContactPoints,
    localDataCenter: cfg.cassandraLocalDataCenter,
    socketOptions: { readTimeout: 60_000 },
  });
  const store = cassandraStateStore({ client }, { keyspace: space });
  const drop = async () => {
    await client.execute(`DROP KEYSPACE IF EXISTS ${space}`);
    await client.shutdown();
  };
  return { store: store, drop };
}
