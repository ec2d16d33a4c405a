// The two sides of an apply benchmark on the same topic: the framework's self-subscriber into a store, and the
// hand-written consumer with its own apply function; and the rounds that alternate which goes first.
import { serviceConfig } from '../../scripts/services/service-config.mjs';
import { createService, onOwnEvent, type Service, type StateStore } from '../../packages/core/src/index';
import * as c from './common';

let run = 0;

/** events/s of a fresh service (own group, own entity type) reading the whole topic into `store`. */
export async function frameworkRate<Tx>(
  n: number,
  topic: string,
  store: StateStore<Tx>,
  batch: number,
): Promise<number> {
  const service: Service = createService({
    name: `bench-${++run}`,
    kafka: { brokers: serviceConfig().kafkaBrokers },
    store,
    topic: { name: topic },
    groupId: c.unique('fw'),
    ensureTopics: false,
    applyBatchSize: batch,
    handlers: [
      onOwnEvent(c.Deposited, (s: c.Account | undefined, e) => c.reduce(s, e.payload), {
        entity: `fw${run}`,
      }),
    ],
  });
  try {
    return await c.timeRun(
      n,
      () => service.stats().applied + service.stats().duplicates,
      () => service.start(),
    );
  } finally {
    await service.stop();
  }
}

/** events/s of the raw consumer (fresh group) applying runs of `batch` with `applyRun` into a fresh type. */
export async function rawRate(
  n: number,
  topic: string,
  batch: number,
  applyRun: (type: string, records: c.RawRecord[]) => Promise<void>,
): Promise<number> {
  const type = `raw${++run}`;
  let applied = 0;
  let consumer: Awaited<ReturnType<typeof c.rawConsumer>> | undefined;
  try {
    return await c.timeRun(
      n,
      () => applied,
      async () => {
        consumer = await c.rawConsumer(
          topic,
          batch,
          (rs) => applyRun(type, rs),
          (k) => (applied += k),
        );
      },
    );
  } finally {
    await consumer?.disconnect();
  }
}

/** c.ROUNDS rounds per batch size, alternating which side goes first, so neither always runs warmer. */
export async function compareBatches(
  batches: readonly number[],
  fw: (batch: number) => Promise<number>,
  raw: (batch: number) => Promise<number>,
): Promise<{ batch: number; fw: number[]; raw: number[] }[]> {
  const rows = [];
  for (const batch of batches) {
    const f: number[] = [];
    const r: number[] = [];
    for (let round = 0; round < c.ROUNDS; round++) {
      if (round % 2 === 1) r.push(await raw(batch));
      f.push(await fw(batch));
      if (round % 2 === 0) r.push(await raw(batch));
    }
    rows.push({ batch, fw: f, raw: r });
    console.log(`  batch ${batch}: fw ${f.map(Math.round).join(', ')} / raw ${r.map(Math.round).join(', ')}`);
  }
  return rows;
}
