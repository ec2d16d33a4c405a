import { afterAll, expect, it } from 'vitest';
import { full, runNames, shared, sleep } from './helpers/env';
import { figuresLine } from './helpers/figures';
import { deleteRunTopics } from './helpers/kafka-read';
import { startLoad } from './helpers/load';
import type { OrderProcess } from './helpers/order-process';
import { newOrderProcess } from './helpers/service-under-load';
import { dropSchema } from './helpers/store-check';
import { verifyRun } from './helpers/verify-run';

// Three order-service processes in one consumer group under a steady load spread over them; instances join and
// leave while the load runs, each change a rebalance: one leaves cleanly (SIGTERM: drain, commit, leave the
// group), one is SIGKILLed and its partitions move to the others after its session timeout (30 s).
const size = full
  ? { ratePerSec: 150, clients: 16, cycles: 4, settleMs: 8000 }
  : { ratePerSec: 100, clients: 12, cycles: 1, settleMs: 5000 };
const names = runNames('rebalance');
const run = { names, brokers: shared.kafkaBrokers, postgresUrl: shared.postgresUrl };
const all: OrderProcess[] = [];

afterAll(async () => {
  await Promise.all(all.map((p) => p.kill()));
  await deleteRunTopics(shared.kafkaBrokers, names.serviceName).catch(() => undefined);
  await dropSchema(shared.postgresUrl, names.schema);
}, 120_000);

async function instance(): Promise<OrderProcess> {
  const p = await newOrderProcess(run);
  all.push(p);
  return p;
}

it('applies exactly once while instances join and leave the group under load', async () => {
  const started = Date.now();
  const first = await Promise.all([instance(), instance(), instance()]);
  // One at a time: the first creates the topics and tables, the others join its group.
  for (const p of first) await p.start();
  // The load balancer's view: instances that answer, minus one being drained.
  const live = new Set<OrderProcess>(first);
  const load = startLoad({
    targets: () => [...live].map((p) => p.base),
    commands: Number.MAX_SAFE_INTEGER,
    clients: size.clients,
    ratePerSec: size.ratePerSec,
    runId: names.id,
  });

  const changes: string[] = [];
  const add = async () => {
    const p = await instance();
    await p.start();
    live.add(p);
    changes.push('+1');
  };
  const remove = async (how: 'SIGTERM' | 'SIGKILL') => {
    const [p] = live;
    live.delete(p!);
    await (how === 'SIGTERM' ? p!.stop() : p!.kill());
    changes.push(`-1 (${how})`);
  };
  await sleep(size.settleMs);
  for (let c = 0; c < size.cycles; c++) {
    await add(); // 4 members
    await sleep(size.settleMs);
    await remove('SIGTERM'); // 3
    await sleep(size.settleMs);
    // Its partitions move to the others once its session times out; what it applied but had not committed is
    // delivered again there and must be skipped as duplicates.
    await remove('SIGKILL'); // 2
    await sleep(size.settleMs);
    await add(); // 3
    await sleep(size.settleMs);
  }
  load.stop();
  await load.done;

  const counters = all.flatMap((p) => p.incarnations());
  const figures = await verifyRun({
    scenario: 'rebalance',
    run,
    load,
    processes: all,
    details: {
      'membership changes': changes.join(' '),
      'instances started': all.length,
      'applied per instance': counters.map((h) => h.applied).join('/'),
      'service crashes': all.reduce((n, p) => n + p.unexpectedExits(), 0),
      seconds: Math.round((Date.now() - started) / 1000),
    },
  });
  const line = figuresLine(figures);
  expect(
    all.reduce((n, p) => n + p.unexpectedExits(), 0),
    line,
  ).toBe(0);
  expect(changes, line).toHaveLength(4 * size.cycles);
}, 1_800_000);
