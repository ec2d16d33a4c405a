import { afterAll, describe, expect, it } from 'vitest';
import {
  dropNamespace,
  storeSettingsFromEnv,
  type StoreKind,
} from '../../examples/example-support/src/index';
import { full, randomInt, runNames, shared, sleep } from './helpers/env';
import { figuresLine } from './helpers/figures';
import { deleteRunTopics } from './helpers/kafka-read';
import type { OrderProcess } from './helpers/order-process';
import { serviceUnderLoad } from './helpers/service-under-load';
import { verifyRun } from './helpers/verify-run';

// The order example as a child process under a steady load over HTTP, SIGKILLed at random moments and restarted
// each time, on each store the example runs on (LTY_RELIABILITY_STORES narrows the list). Every restart waits out
// the killed member's session (30 s) before the group settles again.
const size = full
  ? { commands: 20_000, kills: 10, ratePerSec: 250, clients: 24 }
  : { commands: 2_000, kills: 3, ratePerSec: 120, clients: 16 };
const stores = (process.env.LTY_RELIABILITY_STORES ?? 'postgres,cassandra,mongo')
  .split(',')
  .map((s) => s.trim() as StoreKind);
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const c of cleanups) await c().catch(() => undefined);
}, 180_000);

describe.each(stores)('crash on %s', (store) => {
  it(`applies every acked command exactly once across ${size.kills} SIGKILLs of the order service`, async () => {
    // The Postgres run keeps the scenario's name (and its row in docs/reliability.md); the others add the store's.
    const scenario = store === 'postgres' ? 'crash' : `crash-${store}`;
    const names = runNames(scenario);
    const run = { names, brokers: shared.kafkaBrokers, postgresUrl: shared.postgresUrl, store };
    let proc: OrderProcess | undefined;
    cleanups.push(async () => {
      await proc?.kill();
      await deleteRunTopics(shared.kafkaBrokers, names.serviceName).catch(() => undefined);
      await dropNamespace({ ...storeSettingsFromEnv(), kind: store }, names.schema);
    });
    const started = Date.now();
    const { p, load } = await serviceUnderLoad(
      run,
      { commands: size.commands, clients: size.clients, ratePerSec: size.ratePerSec },
      (x) => (proc = x),
    );

    // Kill points: random places in the run, measured in acked commands, plus a random delay within a second.
    const points = Array.from({ length: size.kills }, () =>
      randomInt(Math.floor(size.commands * 0.05), Math.floor(size.commands * 0.95)),
    ).sort((a, b) => a - b);
    let kills = 0;
    const restartMs: number[] = [];
    for (const point of points) {
      while (load.acked.length < point) await sleep(50);
      await sleep(randomInt(0, 1000));
      await p.kill();
      kills++;
      const t0 = Date.now();
      await p.start();
      restartMs.push(Date.now() - t0);
    }
    await load.done;

    const figures = await verifyRun({
      scenario,
      run,
      load,
      processes: [p],
      details: {
        kills,
        'restart-to-ready ms (max)': Math.max(...restartMs),
        seconds: Math.round((Date.now() - started) / 1000),
      },
    });
    expect(kills, figuresLine(figures)).toBe(size.kills);
    expect(load.acked.length, 'every planned command ends acked').toBe(size.commands);
  }, 1_800_000);
});
