// Apply path into Postgres: the self-subscriber (postgresStateStore, applyBatch) against a hand-written kafkajs
// eachBatch consumer doing the same SQL with the same dedup, same topic, fresh groups, in one run.
// Run: node --conditions=@listen-to-yourself/source --import tsx benchmarks/apply/postgres.ts [events, default 10000]
import pg from 'pg';
import { serviceConfig } from '../../scripts/services/service-config.mjs';
import { postgresStateStore } from '../../packages/postgres/src/index';
import * as c from './common';
import { compareBatches, frameworkRate, rawRate } from './compare';
import { rawPostgresApply } from './raw-postgres';

const N = Number(process.argv[2] ?? 10_000);
const ENTITIES = 1000;
const BATCHES = [1, 10, 100, 500];
const schema = c.unique('pg');
const topic = c.unique('topic');
const pool = new pg.Pool({ connectionString: serviceConfig().postgresUrl, max: 10 });
const store = postgresStateStore({ pool }, { schema, dedupCleanupIntervalMs: 0 });
const rawApply = rawPostgresApply(pool, schema, topic);

async function main(): Promise<void> {
  await store.init();
  await c.produceEvents(topic, N, ENTITIES);
  console.log(
    `Postgres apply: ${N} events, ${ENTITIES} entities, ${c.PARTITIONS} partitions, ${c.ROUNDS} rounds, dedup on`,
  );
  const rows = await compareBatches(
    BATCHES,
    (batch) => frameworkRate(N, topic, store, batch),
    (batch) => rawRate(N, topic, batch, rawApply),
  );
  c.printTable('Postgres: events/s applied (framework applyBatchSize = raw run size)', rows);
  c.writeApplyResult(
    'apply-postgres',
    'Apply into Postgres: framework against raw kafkajs + pg',
    `${N} events, ${ENTITIES} entities, dedup on`,
    rows,
  );
}

try {
  await main();
} finally {
  await store.close?.();
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
  await c.deleteTopic(topic);
}
