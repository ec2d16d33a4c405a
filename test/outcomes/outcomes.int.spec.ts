// Token outcomes and idempotency conflicts on real Kafka (kafkajs), with every store: Postgres, Cassandra,
// FerretDB (MongoDB wire) and the in-memory one. The librdkafka transport runs the same suite in its package.
import { randomUUID } from 'node:crypto';
import cassandra from 'cassandra-driver';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { serviceConfig } from '../../scripts/services/service-config.mjs';
import { inMemoryStateStore, kafkaTransport } from '../../packages/core/src/index';
import { cassandraStateStore } from '../../packages/cassandra/src/index';
import { mongoStateStore } from '../../packages/mongo/src/index';
import { postgresStateStore } from '../../packages/postgres/src/index';
import { describeOutcomeContract } from '../../packages/testkit/src/index';

const cfg = serviceConfig();
const run = `${process.pid}_${Date.now()}`;
const transport = () =>
  kafkaTransport({
    brokers: cfg.kafkaBrokers,
    clientId: 'outcomes-test',
    transactionalId: `outcomes-test-${randomUUID()}`,
    maxWaitTimeMs: 100,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 500,
  });

describeOutcomeContract('kafkajs + in-memory store', async () => ({
  transport,
  store: inMemoryStateStore(),
}));

describeOutcomeContract('kafkajs + postgres', async () => {
  const schema = `lty_outcomes_${run}`;
  const pool = new pg.Pool({ connectionString: cfg.postgresUrl, max: 8 });
  return {
    transport,
    store: postgresStateStore({ pool }, { schema }),
    cleanup: async () => {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
});

describeOutcomeContract('kafkajs + cassandra', async () => {
  const keyspace = `lty_outcomes_${run}`;
  const client = new cassandra.Client({
    contactPoints: cfg.cassandraContactPoints,
    localDataCenter: cfg.cassandraLocalDataCenter,
  });
  await client.connect();
  return {
    transport,
    store: cassandraStateStore({ client }, { keyspace }),
    cleanup: async () => {
      await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
      await client.shutdown();
    },
  };
});

describeOutcomeContract('kafkajs + ferretdb', async () => {
  const dbName = `lty_outcomes_${run}`;
  const client = new MongoClient(cfg.mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  return {
    transport,
    store: mongoStateStore({ client, dbName }),
    cleanup: async () => {
      await client.db(dbName).dropDatabase();
      await client.close();
    },
  };
});
