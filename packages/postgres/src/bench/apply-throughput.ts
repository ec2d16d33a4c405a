// Prints apply and applyBatch throughput against the test Postgres:
//   node --conditions=@listen-to-yourself/source --import tsx packages/postgres/src/bench/apply-throughput.ts
// Uses a schema of its own and drops it afterwards. Figures depend on the machine; compare runs, not absolutes.
import type { ApplyChange } from '@listen-to-yourself/core/store-kit';
import { randomUUID } from 'node:crypto';
import { serviceConfig } from '../../../../scripts/services/service-config.mjs';
import { postgresStateStore } from '../postgres-state-store';

const schema = `lty_bench_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
const store = postgresStateStore({ connectionString: serviceConfig().postgresUrl, max: 10 }, { schema });
let offset = 0;

function changes(count: number, entities: number, run = randomUUID().slice(0, 8)): ApplyChange<number>[] {
  return Array.from({ length: count }, (_, i) => ({
    entity: { type: 'bench', id: `${run}-${i % entities}` },
    eventId: `${run}-${i}`,
    position: { topic: 'bench', partition: 0, offset: String(offset++) },
    update: (current) => (current ?? 0) + 1,
  }));
}

async function measure(label: string, count: number, fn: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await fn();
  const ms = performance.now() - started;
  const perSecond = Math.round((count / ms) * 1000);
  console.log(
    `${label.padEnd(58)} ${String(count).padStart(6)} changes ${ms.toFixed(0).padStart(6)} ms ${String(perSecond).padStart(7)}/s`,
  );
}

async function sequential(list: ApplyChange<number>[]): Promise<void> {
  for (const change of list) await store.apply(change);
}

try {
  await store.init();
  await sequential(changes(200, 20)); // warm-up
  const client = await store.pool.connect();
  await measure('baseline: SELECT 1 round trips on one connection (not changes)', 2000, async () => {
    for (let i = 0; i < 2000; i++) await client.query('SELECT 1');
  });
  client.release();
  const oneEntity = changes(2000, 1);
  await measure('apply, sequential, one existing entity', 2000, () => sequential(oneEntity));
  await measure('apply, sequential, a new entity each', 2000, () => sequential(changes(2000, 2000)));
  await measure('apply, same changes again (duplicates by position)', 2000, () => sequential(oneEntity));
  const parallel = changes(10_000, 100);
  await measure('apply, 10 concurrent callers, 100 entities', 10_000, async () => {
    const lanes = Array.from({ length: 10 }, (_, lane) => parallel.filter((_, i) => (i % 100) % 10 === lane));
    await Promise.all(lanes.map(sequential));
  });
  for (const [count, entities, max] of [
    [10_000, 100, 500],
    [10_000, 10_000, 500],
    [10_000, 100, 5000],
  ] as const) {
    const sized = postgresStateStore(
      { pool: store.pool },
      { schema, maxBatchSize: max, dedupCleanupIntervalMs: 0 },
    );
    const list = changes(count, entities);
    await measure(`applyBatch, ${entities} entities, maxBatchSize ${max}`, count, () =>
      sized.applyBatch(list),
    );
    await measure(`applyBatch again (all duplicates), maxBatchSize ${max}`, count, () =>
      sized.applyBatch(list),
    );
  }
} finally {
  await store.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await store.close();
}
