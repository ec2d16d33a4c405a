// The framework's own CPU per command on the send path: `service.send()` of the command-path benchmark's
// one-event command over the in-memory transport (no broker, no network), against the in-memory transport's
// `produce()` of the same record alone. The difference is what the framework adds per command: zod parses,
// storable-string checks, ids, encoding, headers, partitioning, the token. Process CPU (user + system) from
// `process.cpuUsage()`, GC included; sides alternate within each round.
// With LTY_BENCH_BASE=<dir>, a second copy of core from <dir>/packages/core/src (another commit's, extracted
// with `git archive <commit> packages/core/src | tar -x -C <dir>`, its node_modules linked to this checkout's)
// runs beside this one in the same process and rounds: a before-and-after on the same load.
// LTY_BENCH_BASE_LABEL names that copy in the results (default "before").
// Run: node --conditions=@listen-to-yourself/source --import tsx benchmarks/command/cpu.ts
//      [commands per round, default 20000] [rounds, default 5]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as current from '../../packages/core/src/index';
import { writeResult } from '../lib/results';
import { spread } from '../lib/stats';
import { benchDefinitions, ENTITIES, PARTITIONS, rawRecord } from './common';

const COMMANDS = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.argv[3] ?? 5);
/** Sends in flight: enough to coalesce as the real benchmark does at high concurrency, without queueing much. */
const CONCURRENCY = 64;
const topic = 'lty_bench_cpu';

type Core = typeof current;

interface Sender {
  readonly send: (seq: number) => Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * The command-path benchmark's service (common.ts), made with `core`'s own functions, on a new in-memory
 * transport: the transport keeps every record, so each measure gets its own, and a heap grown by the earlier
 * ones does not weigh on the GC of the later.
 */
async function sendSide(core: Core): Promise<Sender> {
  const { Deposited, Deposit } = benchDefinitions(core);
  const transport = core.inMemoryTransport();
  await transport.connect();
  await transport.ensureTopics([{ topic, partitions: PARTITIONS, replicationFactor: 1 }]);
  const service = core.createService({
    name: 'bench',
    transport,
    store: core.inMemoryStateStore(),
    topic: { name: topic },
    ensureTopics: false,
    subscribe: false,
    commands: [Deposit],
    handlers: [core.onOwnEvent(Deposited, (s: number | undefined, e) => (s ?? 0) + e.payload.amount)],
  });
  await service.start();
  return {
    send: (seq) => service.send(Deposit, { account: `acc-${seq % ENTITIES}`, amount: 1 + (seq % 7), seq }),
    stop: () => service.stop(),
  };
}

/** CPU µs per call of `call`, `count` calls with CONCURRENCY in flight. */
async function cpuPerCall(count: number, call: (seq: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < count) await call(next++);
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

const records = Array.from({ length: 1000 }, (_, i) => {
  const r = rawRecord(i);
  return { topic, partition: i % PARTITIONS, key: r.key, value: r.value, headers: r.headers };
});
/** The in-memory transport's `produce()` of the same records alone. */
async function transportSide(): Promise<Sender> {
  const transport = current.inMemoryTransport();
  await transport.connect();
  await transport.ensureTopics([{ topic, partitions: PARTITIONS, replicationFactor: 1 }]);
  return {
    send: (seq) => transport.produce([records[seq % records.length]!]),
    stop: () => transport.disconnect(),
  };
}

const baseDir = process.env.LTY_BENCH_BASE;
const makers: Record<string, () => Promise<Sender>> = {
  transport: transportSide,
  framework: () => sendSide(current),
};
if (baseDir) {
  const base = (await import(pathToFileURL(resolve(baseDir, 'packages/core/src/index.ts')).href)) as Core;
  makers.base = () => sendSide(base);
}
const sides = Object.keys(makers).filter((n) => n !== 'transport');

/** One measure on a new sender: started and warmed up outside the measure, stopped after it. */
async function measure(name: string): Promise<number> {
  const sender = await makers[name]!();
  await cpuPerCall(1000, sender.send);
  const figure = await cpuPerCall(COMMANDS, sender.send);
  await sender.stop();
  return figure;
}

// Warm-up: JIT settles before anything is recorded.
for (const name of Object.keys(makers)) await measure(name);
const names = Object.keys(makers);
const figures: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? names : [...names].reverse();
  for (const name of order) figures[name]!.push(await measure(name));
}

const own = (name: string) => figures[name]!.map((f, i) => f - figures.transport![i]!);
const fmt = (xs: number[]) => {
  const s = spread(xs);
  return `${s.median.toFixed(1)} µs [${s.min.toFixed(1)} - ${s.max.toFixed(1)}]`;
};
console.log(
  `send path CPU per command, ${COMMANDS} commands per round, ${ROUNDS} rounds, ${CONCURRENCY} in flight`,
);
console.log(`  the in-memory transport's produce() alone: ${fmt(figures.transport!)}`);
for (const name of sides) {
  const label = name === 'base' ? `base (${baseDir})` : 'this checkout';
  console.log(`  ${label}: send() ${fmt(figures[name]!)}; the framework's own ${fmt(own(name))}`);
}
if (makers.base) {
  const ratio = spread(own('framework')).median / spread(own('base')).median;
  console.log(`  this checkout's own CPU per command: ${ratio.toFixed(2)}× the base's (target ≤ 0.5×)`);
}
writeResult({
  id: 'command-cpu',
  title: "The framework's own CPU per command on the send path (in-memory transport)",
  unit: 'µs per command',
  higherIsBetter: false,
  groupBy: 'code',
  groups: sides.map((name) => ({
    label: name === 'base' ? (process.env.LTY_BENCH_BASE_LABEL ?? 'before') : 'this checkout',
    series: [{ name: "framework's own", rounds: own(name) }],
  })),
  notes: `${COMMANDS} commands per round, ${ROUNDS} rounds, ${CONCURRENCY} sends in flight; process CPU time minus the in-memory transport's produce() alone`,
});
