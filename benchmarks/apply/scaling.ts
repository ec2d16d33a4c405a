// Apply throughput into Postgres with 1, 2 and 4 instances in one consumer group over a topic of 8 partitions,
// each instance a process of its own (scaling-worker.ts) as in production: the framework's service
// (postgresStateStore, applyBatchSize 100) against as many hand-written consumer processes (rawConsumer +
// rawPostgresApply, runs of 100) in one group. Each run has its topic of N pre-produced events, its group and its
// entity type; the events are held back until every instance is in the group (hold-back.ts), so that no instance
// starts alone and no rebalance falls inside the measure. Events/s are aggregate, from the first event any
// instance applied to the N-th, from the counts the instances report over IPC.
// More instances only help when there are cores to run them: on a small machine shared with Kafka and Postgres,
// the instances, the broker and the database compete for the same CPUs. Read the ratios, not the absolutes.
// Run: node --conditions=@listen-to-yourself/source --import tsx benchmarks/apply/scaling.ts
//   [events, default 20000] [rounds, default 3]
import { cpus } from 'node:os';
import pg from 'pg';
import { serviceConfig } from '../../scripts/services/service-config.mjs';
import { postgresStateStore } from '../../packages/postgres/src/index';
import { writeResult, type GroupResult } from '../lib/results';
import { ratio, spread } from '../lib/stats';
import * as c from './common';
import { holdBack } from './hold-back';
import { runInstances } from './scaling-run';

const N = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.argv[3] ?? c.ROUNDS);
const ENTITIES = 1000;
const BATCH = 100; // the framework's default applyBatchSize
const INSTANCES = [1, 2, 4];
const MODES = [
  { mode: 'framework', name: 'framework' },
  { mode: 'raw', name: 'raw' },
] as const;
const schema = c.unique('pg');
const pool = new pg.Pool({ connectionString: serviceConfig().postgresUrl, max: 2 });
let run = 0;

const f = (n: number) => Math.round(n).toLocaleString('en-US').padStart(7);

async function once(mode: 'framework' | 'raw', instances: number): Promise<number> {
  const entity = `${mode === 'framework' ? 'fw' : 'raw'}${++run}`;
  const topic = c.unique('topic');
  const groupId = c.unique(mode);
  const held = await holdBack(topic);
  try {
    // Produced while the instances start; nobody reads them before release().
    const produced = c.produceEvents(topic, N, ENTITIES);
    produced.catch(() => undefined); // awaited in open(); this keeps a failure before that from going unhandled
    const started = performance.now();
    let setUp = 0;
    const open = async () => {
      await produced;
      await held.waitForGroup(groupId, instances);
      await held.release();
      setUp = performance.now() - started;
    };
    const args = { mode, topic, schema, groupId, entity, batch: BATCH };
    const r = await runInstances(instances, args, N, open);
    const extra = r.perInstance.reduce((a, b) => a + b, 0) - N;
    console.log(
      `  ${mode.padEnd(9)} x${instances}: ${f(r.rate)} ev/s, per instance ${r.perInstance.join(' / ')}, ` +
        `set-up ${(setUp / 1000).toFixed(1)} s (start, join, produce)` +
        (extra > 0 ? `, ${extra} redelivered` : ''),
    );
    return r.rate;
  } finally {
    await held.close();
    await c.deleteTopic(topic);
  }
}

async function main(): Promise<void> {
  // Creates the tables once; each instance's store checks them again at init().
  await postgresStateStore({ pool }, { schema, dedupCleanupIntervalMs: 0 }).init();
  console.log(
    `Postgres apply scaling: ${N} events, ${ENTITIES} entities, ${c.PARTITIONS} partitions, batch ${BATCH}, ` +
      `${ROUNDS} rounds, ${cpus().length} cpus (shared with Kafka and Postgres)`,
  );
  const groups: GroupResult[] = [];
  for (const instances of INSTANCES) {
    const figures: number[][] = MODES.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate which goes first, so that neither always runs on the warmer (or more loaded) side.
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) figures[i]!.push(await once(MODES[i]!.mode, instances));
    }
    groups.push({
      label: String(instances),
      series: MODES.map((m, i) => ({ name: m.name, rounds: figures[i]! })),
    });
  }
  console.log('\nPostgres: aggregate events/s applied, min / median / max');
  console.log(
    'instances | framework               | raw                     | framework/raw | vs 1 instance (fw, raw)',
  );
  const median = (g: GroupResult, i: number) => spread(g.series[i]!.rounds).median;
  for (const g of groups) {
    const [fw, rw] = g.series.map((s) => spread(s.rounds));
    console.log(
      `${g.label.padStart(9)} | ${f(fw!.min)} ${f(fw!.median)} ${f(fw!.max)} | ${f(rw!.min)} ${f(rw!.median)} ` +
        `${f(rw!.max)} | ${ratio(fw!.median, rw!.median).padStart(13)} | ` +
        `${ratio(fw!.median, median(groups[0]!, 0))}, ${ratio(rw!.median, median(groups[0]!, 1))}`,
    );
  }
  writeResult({
    id: 'apply-scaling',
    title: 'Postgres apply: instances in one consumer group, one process each',
    unit: 'events/s',
    higherIsBetter: true,
    groupBy: 'instances',
    groups,
    notes:
      `${N} events, ${ENTITIES} entities, ${c.PARTITIONS} partitions, batch ${BATCH}, ${ROUNDS} rounds, ` +
      `${cpus().length} cpus shared with Kafka and Postgres`,
  });
}

try {
  await main();
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
}
