// The framework's own CPU per record on the apply path: the self-subscriber of the command-path benchmark's service
// over the in-memory transport (no broker, no network) into the in-memory store, no OpenTelemetry provider
// registered. N records are produced first (outside the measure); then the process CPU (user + system, from
// `process.cpuUsage()`, GC included) from the service's start until its group has applied and committed all of
// them, divided by N: fetch, decode, zod parse, dedup, the reducer, the store's apply, commits, telemetry hooks.
// One start and group join is in each measure, spread over its N records. At `applyBatchSize` 1 (each record on
// its own: the per-record wrappers of tracing and metrics) and 100 (the default: runs of records in one store call).
// With LTY_BENCH_BASE=<dir>, a second copy of core from <dir>/packages/core/src (another commit's, extracted with
// `git archive <commit> packages/core/src | tar -x -C <dir>`, its node_modules linked to this checkout's) runs
// beside this one in the same process and rounds, alternating: a before-and-after on the same load.
// LTY_BENCH_BASE_LABEL names that copy in the results (default "before").
// Run: node --conditions=@listen-to-yourself/source --import tsx benchmarks/apply/cpu.ts
//      [records per round, default 20000] [rounds, default 5]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as current from '../../packages/core/src/index';
import { writeResult } from '../lib/results';
import { spread } from '../lib/stats';
import { benchDefinitions, ENTITIES, PARTITIONS } from '../command/common';

const RECORDS = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const BATCH_SIZES = [1, 100];
const topic = 'lty_bench_apply_cpu';
const name = 'bench';

type Core = typeof current;

/** The command-path benchmark's service (command/common.ts), made with `core`'s own functions. */
function benchService(
  core: Core,
  transport: ReturnType<Core['inMemoryTransport']>,
  subscribe: boolean,
  applyBatchSize = 100,
) {
  const { Deposited, Deposit } = benchDefinitions(core);
  const service = core.createService({
    name,
    transport,
    store: core.inMemoryStateStore(),
    topic: { name: topic, partitions: PARTITIONS },
    subscribe,
    applyBatchSize,
    commands: [Deposit],
    handlers: [core.onOwnEvent(Deposited, (s: number | undefined, e) => (s ?? 0) + e.payload.amount)],
  });
  return { service, Deposit };
}

/** CPU µs per record for `core` to apply `count` records, produced by its own `send()` on a new transport. */
async function cpuPerRecord(core: Core, count: number, applyBatchSize: number): Promise<number> {
  const transport = core.inMemoryTransport();
  await transport.connect();
  const sender = benchService(core, transport.client(), false);
  await sender.service.start();
  for (let seq = 0; seq < count; seq += 64) {
    await Promise.all(
      Array.from({ length: Math.min(64, count - seq) }, (_, i) =>
        sender.service.send(sender.Deposit, {
          account: `acc-${(seq + i) % ENTITIES}`,
          amount: 1 + ((seq + i) % 7),
          seq: seq + i,
        }),
      ),
    );
  }
  await sender.service.stop();
  const { service } = benchService(core, transport.client(), true, applyBatchSize);
  const before = process.cpuUsage();
  await service.start();
  // The group joins in the background: idle() needs it to exist.
  while (!(await service.health()).groups.every((g) => g.state === 'running')) {
    await new Promise((r) => setTimeout(r, 1));
  }
  await transport.idle(`${name}.self`, { timeoutMs: 600_000 });
  const used = process.cpuUsage(before);
  const applied = service.stats().applied;
  await service.stop();
  await transport.disconnect();
  if (applied !== count) throw new Error(`applied ${applied} of ${count} records`);
  return (used.user + used.system) / count;
}

const baseDir = process.env.LTY_BENCH_BASE;
const cores: Record<string, Core> = { framework: current };
if (baseDir) {
  cores.base = (await import(pathToFileURL(resolve(baseDir, 'packages/core/src/index.ts')).href)) as Core;
}
const names = Object.keys(cores);

// Warm-up: JIT settles before anything is recorded.
for (const n of names) for (const size of BATCH_SIZES) await cpuPerRecord(cores[n]!, 2000, size);
const key = (n: string, size: number) => `${n}@${size}`;
const figures: Record<string, number[]> = {};
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? names : [...names].reverse();
  for (const size of BATCH_SIZES) {
    for (const n of order) (figures[key(n, size)] ??= []).push(await cpuPerRecord(cores[n]!, RECORDS, size));
  }
}

const fmt = (xs: number[]) => {
  const s = spread(xs);
  return `${s.median.toFixed(1)} µs [${s.min.toFixed(1)} - ${s.max.toFixed(1)}]`;
};
console.log(
  `apply path CPU per record, ${RECORDS} records per round, ${ROUNDS} rounds, no telemetry provider`,
);
for (const size of BATCH_SIZES) {
  for (const n of names) {
    const label = n === 'base' ? `base (${baseDir})` : 'this checkout';
    console.log(`  applyBatchSize ${size}, ${label}: ${fmt(figures[key(n, size)]!)}`);
  }
  if (cores.base) {
    const ratio =
      spread(figures[key('framework', size)]!).median / spread(figures[key('base', size)]!).median;
    console.log(`  applyBatchSize ${size}: this checkout's CPU per record ${ratio.toFixed(2)}× the base's`);
  }
}
writeResult({
  id: 'apply-cpu',
  title:
    "The framework's CPU per record on the apply path (in-memory transport and store, no telemetry provider)",
  unit: 'µs per record',
  higherIsBetter: false,
  groupBy: 'applyBatchSize',
  groups: BATCH_SIZES.map((size) => ({
    label: String(size),
    series: names.map((n) => ({
      name: n === 'base' ? (process.env.LTY_BENCH_BASE_LABEL ?? 'before') : 'this checkout',
      rounds: figures[key(n, size)]!,
    })),
  })),
  notes: `${RECORDS} records per round, ${ROUNDS} rounds; process CPU time from start() until the group is idle`,
});
