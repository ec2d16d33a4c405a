// Apply path into Postgres: the self-subscriber (postgresStateStore, applyBatch) against a hand-written kafkajs
// eachBatch consumer doing the same SQL with the same dedup, same topic, fresh groups, in one run.
// Run: node --import tsx benchmarks/apply/postgres.ts [events, default 10000]
import pg from 'pg';
import { serviceConfig } from '../../scripts/services/service-config.mjs';
import { createService, onOwnEvent, type Service } from '../../packages/core/src/index';
import { postgresStateStore } from '../../packages/postgres/src/index';
import * as c from './common';
import { rawPostgresApply } from './raw-postgres';

const N = Number(process.argv[2] ?? 10_000);
const ENTITIES = 1000;
const BATCHES = [1, 10, 100, 500];
const schema = c.unique('pg');
const topic = c.unique('topic');
const pool = new pg.Pool({ connectionString: serviceConfig().postgresUrl, max: 10 });
const store = postgresStateStore({ pool }, { schema, dedupCleanupIntervalMs: 0 });
const rawApply = rawPostgresApply(pool, schema, topic);
let run = 0;

async function framework(batch: number): Promise<number> {
  const service: Service = createService({
    name: `bench-${++run}`,
    kafka: { brokers: serviceConfig().kafkaBrokers },
    store,
    topic: { name: topic },
    groupId: c.unique('fw'),
    ensureTopics: false,
    applyBatchSize: batch,
    handlers: [
      onOwnEvent(Deposited, (s: c.Account | undefined, e) => c.reduce(s, e.payload), { entity: `fw${run}` }),
    ],
  });
  try {
    return await c.timeRun(
      N,
      () => service.stats().applied + service.stats().duplicates,
      () => service.start(),
    );
  } finally {
    await service.stop();
  }
}
const Deposited = c.Deposited;

async function raw(batch: number): Promise<number> {
  const type = `raw${++run}`;
  let applied = 0;
  let consumer: Awaited<ReturnType<typeof c.rawConsumer>> | undefined;
  try {
    return await c.timeRun(
      N,
      () => applied,
      async () => {
        consumer = await c.rawConsumer(
          topic,
          batch,
          (rs) => rawApply(type, rs),
          (k) => (applied += k),
        );
      },
    );
  } finally {
    await consumer?.disconnect();
  }
}

async function main(): Promise<void> {
  await store.init();
  await c.produceEvents(topic, N, ENTITIES);
  console.log(
    `Postgres apply: ${N} events, ${ENTITIES} entities, ${c.PARTITIONS} partitions, ${c.ROUNDS} rounds, dedup on`,
  );
  const rows = [];
  for (const batch of BATCHES) {
    const fw: number[] = [];
    const rw: number[] = [];
    for (let r = 0; r < c.ROUNDS; r++) {
      // Alternate which goes first, so that neither always runs on the warmer (or more loaded) side.
      if (r % 2 === 1) rw.push(await raw(batch));
      fw.push(await framework(batch));
      if (r % 2 === 0) rw.push(await raw(batch));
    }
    rows.push({ batch, fw, raw: rw });
    console.log(
      `  batch ${batch}: fw ${fw.map(Math.round).join(', ')} / raw ${rw.map(Math.round).join(', ')}`,
    );
  }
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
