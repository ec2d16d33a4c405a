import cassandra from 'cassandra-driver';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import type { StoreSettings } from './settings';

/** Drops a service's schema, keyspace or database: tests and demos clean up their runs with it. */
export async function dropNamespace(settings: StoreSettings, namespace: string): Promise<void> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(namespace)) throw new Error(`not a plain name: ${namespace}`);
  switch (settings.kind) {
    case 'postgres': {
      const pool = new pg.Pool({ connectionString: settings.postgresUrl, max: 1 });
      pool.on('error', () => undefined);
      try {
        await pool.query(`DROP SCHEMA IF EXISTS "${namespace}" CASCADE`);
      } finally {
        await pool.end();
      }
      return;
    }
    case 'cassandra': {
      const client = new cassandra.Client({
        contactPoints: settings.cassandraContactPoints,
        localDataCenter: settings.cassandraLocalDataCenter,
      });
      try {
        await client.execute(`DROP KEYSPACE IF EXISTS ${namespace}`);
      } finally {
        await client.shutdown();
      }
      return;
    }
    case 'mongo': {
      const client = new MongoClient(settings.mongoUrl, { serverSelectionTimeoutMS: 10_000 });
      try {
        await client.db(namespace).dropDatabase();
      } finally {
        await client.close();
      }
      return;
    }
  }
}
