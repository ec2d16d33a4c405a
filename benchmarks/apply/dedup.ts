// The cost of idempotency on the Postgres apply path, in one run over one topic, fresh groups each time:
//   (a) the framework (postgresStateStore: dedup by position, then by event id within the window),
//   (b) the hand-written consumer with the same dedup (raw-postgres.ts),
//   (c) the hand-written consumer without dedup (raw-postgres-no-dedup.ts: no applied event ids read or written,
//       no position check), which applies a redelivered event twice.
// (b)/(c) is what idempotency costs in SQL; (a)/(b) is the framework's own overhead. There is no (a) without
// dedup: the store has no "dedup off" option and must not get one, since skipping dedup breaks its guarantee
// that every event changes the state exactly once.
// Run: node --conditions=@listen-to-yourself/source --import tsx benchmarks/apply/dedup.ts [events, default 10000]
//   [rounds, default 3]
import pg from 'pg';
import { serviceConfig } from '../../scripts/services/service-config.mjs';
import { postgresStateStore } from '../../packages/postgres/src/index';
import { writeResult, type GroupResult } from '../lib/results';
import { ratio, spread } from '../lib/stats';
import * as c from './common';
import { frameworkRate, rawRate } from './compare';
import { rawPostgresApply } from './raw-postgres';
import { rawPostgresApplyNoDedup } from './raw-postgres-no-dedup';

const N = Number(process.argv[2] ?? 10_000);
const ROUNDS = Number(process.argv[3] ?? c.ROUNDS);
const ENTITIES = 1000;
const BATCHES = [1, 100];
const schema = c.unique('pg');
const topic = c.unique('topic');
const pool = new pg.Pool({ connectionString: serviceConfig().postgresUrl, max: 10 });
const store = postgresStateStore({ pool }, { schema, dedupCleanupIntervalMs: 0 });
const dedup = rawPostgresApply(pool, schema, topic);
const noDedup = rawPostgresApplyNoDedup(pool, schema);
// Each run: a fresh group reads the whole topic into a fresh entity type, so every event is new to it.
const SERIES: { name: string; run: (batch: number) => Promise<number> }[] = [
  { name: 'framework (dedup)', run: (batch) => frameworkRate(N, topic, store, batch) },
  { name: 'raw dedup', run: (batch) => rawRate(N, topic, batch, dedup) },
  { name: 'raw no dedup', run: (batch) => rawRate(N, topic, batch, noDedup) },
];
const f = (n: number) => Math.round(n).toLocaleString('en-US').padStart(7);
const cell = (xs: number[]) => {
  const s = spread(xs);
  return `${f(s.min)} ${f(s.median)} ${f(s.max)}`;
};

async function main(): Promise<void> {
  await store.init();
  await c.produceEvents(topic, N, ENTITIES);
  console.log(
    `Postgres apply, cost of dedup: ${N} events, ${ENTITIES} entities, ${c.PARTITIONS} partitions, ` +
      `${ROUNDS} rounds`,
  );
  const groups: GroupResult[] = [];
  for (const batch of BATCHES) {
    const figures: number[][] = SERIES.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      // Rotate which series goes first, so that none always runs on the warmer (or more loaded) side.
      for (let i = 0; i < SERIES.length; i++) {
        const s = (i + r) % SERIES.length;
        figures[s]!.push(await SERIES[s]!.run(batch));
      }
    }
    console.log(
      `  batch ${batch}: ${SERIES.map((s, i) => `${s.name} ${figures[i]!.map(Math.round).join(', ')}`).join(' / ')}`,
    );
    groups.push({
      label: String(batch),
      series: SERIES.map((s, i) => ({ name: s.name, rounds: figures[i]! })),
    });
  }
  console.log('\nPostgres: events/s applied, min / median / max (framework applyBatchSize = raw run size)');
  console.log(
    'batch | framework (dedup)       | raw dedup               | raw no dedup            | fw/raw dedup | dedup/no dedup',
  );
  for (const g of groups) {
    const [a, b, n] = g.series.map((s) => [...s.rounds]) as [number[], number[], number[]];
    const m = (xs: number[]) => spread(xs).median;
    console.log(
      `${g.label.padStart(5)} | ${cell(a)} | ${cell(b)} | ${cell(n)} | ${ratio(m(a), m(b)).padStart(12)} | ` +
        `${ratio(m(b), m(n)).padStart(14)}`,
    );
  }
  writeResult({
    id: 'apply-dedup',
    title: 'Postgres apply: the cost of idempotency',
    unit: 'events/s',
    higherIsBetter: true,
    groupBy: 'batch size',
    groups,
    notes: `${N} events, ${ENTITIES} entities, ${c.PARTITIONS} partitions, ${ROUNDS} rounds`,
  });
}

try {
  await main();
} finally {
  await store.close?.();
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
  await c.deleteTopic(topic);
}
