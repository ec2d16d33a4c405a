// End-to-end latency under a steady open-loop load: per command the time from its slot to the broker's ack
// (send resolved) and from the ack to its event's store transaction committing, framework against the
// hand-written baseline, all running in this process, measured alternately in the same run. The framework runs
// twice: on the kafkajs transport and, when the native client is built (scripts/build-confluent.sh), on the
// librdkafka one (@listen-to-yourself/transport-confluent), which gets a hand-written baseline of its own on the
// same library (raw-librdkafka.ts); LTY_BENCH_LIBRDKAFKA=0 leaves both out.
// LTY_BENCH_SIDES=librdkafka (a comma-separated list) runs only those sides, say to profile one with --cpu-prof.
// Run: node --conditions=@listen-to-yourself/source --import tsx benchmarks/e2e/latency.ts
//        [seconds per rate and side, default 20] [rates, default 1000,5000]
import { createRequire } from 'node:module';
import pg from 'pg';
import { serviceConfig } from '../../scripts/services/service-config.mjs';
import * as c from '../apply/common';
import { confluentTransport, type ConfluentLibrary } from '../../packages/transport-confluent/src/index';
import { writeResult, type GroupResult } from '../lib/results';
import { spread } from '../lib/stats';
import { LIMITS, measureWindow, type WindowResult } from './measure';
import { startRawLibrdkafka } from './raw-librdkafka';
import {
  commitInterval,
  deleteTopics,
  startFramework,
  startSide,
  whenReady,
  type LatencySideName as SideName,
  type OnApplied,
  type Side,
} from './sides';

const DURATION_S = Number(process.argv[2] ?? 20);
const RATES = (process.argv[3] ?? '1000,5000').split(',').map(Number);
const WARMUP_S = 3;
const FIRST_WARMUP_S = 5;
const BUDGET_S = 480;
const TARGETS: { rate: number; p99Ms: number; p50Ms?: number }[] = [
  { rate: 1000, p99Ms: 25, p50Ms: 10 },
  { rate: 5000, p99Ms: 60 },
];
const librdkafka = loadLibrdkafka();
const SIDES = chosenSides(
  librdkafka ? ['framework', 'librdkafka', 'raw', 'raw-librdkafka'] : ['framework', 'raw'],
);

const schema = c.unique('e2e');
const topics: Record<SideName, string> = {
  framework: c.unique('e2e_fw'),
  librdkafka: c.unique('e2e_rdk'),
  raw: c.unique('e2e_raw'),
  'raw-librdkafka': c.unique('e2e_rawrdk'),
};
const routes: Record<SideName, OnApplied | undefined> = {
  framework: undefined,
  librdkafka: undefined,
  raw: undefined,
  'raw-librdkafka': undefined,
};

/** The sides LTY_BENCH_SIDES names, in the order given; all `available` ones when it is unset. */
function chosenSides(available: SideName[]): SideName[] {
  const named = process.env.LTY_BENCH_SIDES?.split(',').map((s) => s.trim());
  if (!named) return available;
  const unknown = named.filter((n) => !available.includes(n as SideName));
  if (unknown.length > 0) {
    throw new Error(`LTY_BENCH_SIDES: ${unknown.join(', ')} not among ${available.join(', ')}`);
  }
  return named as SideName[];
}

/** The native client, or undefined (with a note) when it is not built or left out. */
function loadLibrdkafka(): ConfluentLibrary | undefined {
  if (process.env.LTY_BENCH_LIBRDKAFKA === '0') return undefined;
  try {
    // The package's devDependency is a stand-in that loads the cached native build, or says how to make it.
    return createRequire(new URL('../../packages/transport-confluent/package.json', import.meta.url))(
      '@confluentinc/kafka-javascript',
    ) as ConfluentLibrary;
  } catch (err) {
    console.log(`librdkafka side left out: ${(err as Error).message}`);
    return undefined;
  }
}
const sides: Side[] = [];
const rateLabel = (r: number) => `${r.toLocaleString('en-US')}/s`;
const ms = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(1));
const finite = (xs: number[]) => xs.filter((x) => Number.isFinite(x));
const median = (xs: number[]) => (finite(xs).length === 0 ? NaN : spread(finite(xs)).median);

function printRate(rate: number, res: Record<SideName, WindowResult[]>, rounds: number): void {
  console.log(`\n${rateLabel(rate)}: median of ${rounds} round(s) [min - max], ms unless stated`);
  console.log(`${''.padEnd(20)}${SIDES.map((n) => n.padEnd(28)).join('')}`);
  const row = (label: string, pick: (w: WindowResult) => number, fmt = ms) => {
    const cell = (side: SideName) => {
      const xs = finite(res[side].map(pick));
      if (xs.length === 0) return '-'.padEnd(28);
      const s = spread(xs);
      return `${fmt(s.median)} [${fmt(s.min)} - ${fmt(s.max)}]`.padEnd(28);
    };
    console.log(`${label.padEnd(20)}${SIDES.map(cell).join('')}`);
  };
  row('sched->ack p50', (w) => w.schedToAck.p50);
  row('sched->ack p99', (w) => w.schedToAck.p99);
  row('sched->ack max', (w) => w.schedToAck.max);
  row('ack->applied p50', (w) => w.ackToApplied.p50);
  row('ack->applied p99', (w) => w.ackToApplied.p99);
  row('ack->applied max', (w) => w.ackToApplied.max);
  row('ack->deliv. p50', (w) => w.ackToDelivered.p50);
  row('ack->deliv. p99', (w) => w.ackToDelivered.p99);
  row('deliv.->applied p50', (w) => w.deliveredToApplied.p50);
  row('deliv.->applied p99', (w) => w.deliveredToApplied.p99);
  const count = (x: number) => String(Math.round(x));
  row('sustained /s', (w) => w.achievedRate, count);
  row('process CPU µs/cmd', (w) => w.cpuUsPerCommand, count);
  row('not sent (behind)', (w) => w.commands - w.sent, count);
  row(`late sends >${LIMITS.LATE_MS}ms`, (w) => w.lateSends, count);
  row(`applied >${LIMITS.QUEUED_MS}ms`, (w) => w.queued, count);
  row('failed / unapplied', (w) => w.failed + w.unapplied, count);
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `End-to-end latency, open loop: ${RATES.map(rateLabel).join(', ')}; ${DURATION_S} s per rate and side ` +
      `after ${WARMUP_S} s warm-up (${FIRST_WARMUP_S} s more per side at the start); up to 3 rounds within ` +
      `~${BUDGET_S / 60} minutes`,
  );
  const seq: Record<SideName, number> = { framework: 0, librdkafka: 0, raw: 0, 'raw-librdkafka': 0 };
  const byName = {} as Record<SideName, Side>;
  for (const name of SIDES) {
    const o: { topic: string; schema: string; onApplied: OnApplied } = {
      topic: topics[name],
      schema,
      onApplied: (s, at, deliveredAt) => routes[name]?.(s, at, deliveredAt),
    };
    const side =
      name === 'librdkafka'
        ? await startFramework(o, { name, make: () => rdkTransport(librdkafka!) })
        : name === 'raw-librdkafka'
          ? await startRawLibrdkafka(o, librdkafka!)
          : await startSide(name, o);
    sides.push(side);
    byName[name] = side;
    await whenReady(side, seq[name]++);
  }
  // JIT, connection pools and the first fetches settle at the highest rate before anything is recorded.
  for (const name of SIDES) {
    await measureWindow(byName[name], () => undefined, seq[name], Math.max(...RATES), FIRST_WARMUP_S, 0);
    seq[name] += Math.round(Math.max(...RATES) * FIRST_WARMUP_S);
  }
  const res = new Map<number, Record<SideName, WindowResult[]>>(
    RATES.map((r) => [r, { framework: [], librdkafka: [], raw: [], 'raw-librdkafka': [] }]),
  );
  let rounds = 3;
  for (let r = 0; r < rounds; r++) {
    const roundStart = performance.now();
    for (const rate of RATES) {
      // Alternate which goes first, so that neither always runs on the warmer (or more loaded) side.
      for (const name of r % 2 === 0 ? SIDES : [...SIDES].reverse()) {
        const route = (f: typeof routes.raw) => (routes[name] = f);
        const w = await measureWindow(byName[name], route, seq[name], rate, WARMUP_S, DURATION_S);
        seq[name] += Math.round(rate * (WARMUP_S + DURATION_S));
        res.get(rate)![name].push(w);
        logWindow(rate, r, name, w);
      }
    }
    if (r === 0) {
      // Drains make a round's length unknown in advance: fit the rounds to the budget by the first one.
      const spent = (performance.now() - started) / 1000;
      const round = (performance.now() - roundStart) / 1000;
      rounds = Math.max(1, Math.min(3, 1 + Math.floor((BUDGET_S - spent) / round)));
      if (rounds < 3)
        console.log(`  a round takes ${Math.round(round)} s: ${rounds} round(s), to stay in budget`);
    }
  }
  const groups: GroupResult[] = [];
  const notes: string[] = [];
  for (const rate of RATES) {
    const byRate = res.get(rate)!;
    printRate(rate, byRate, rounds);
    for (const [p, pick] of [
      ['p50', (w: WindowResult) => w.ackToApplied.p50],
      ['p99', (w: WindowResult) => w.ackToApplied.p99],
      ['max', (w: WindowResult) => w.ackToApplied.max],
    ] as const) {
      groups.push({
        label: `${rateLabel(rate)} ${p}`,
        series: SIDES.map((name) => ({ name, rounds: finite(byRate[name].map(pick)) })),
      });
    }
    const fig = (name: SideName, pick: (w: WindowResult) => number) => median(byRate[name].map(pick));
    const both = (pick: (w: WindowResult) => number, f = ms) =>
      SIDES.map((name) => `${name} ${f(fig(name, pick))}`).join(' / ');
    notes.push(
      `${rateLabel(rate)}: sched->ack p99 ${both((w) => w.schedToAck.p99)} ms, sustained ` +
        `${both(
          (w) => w.achievedRate,
          (x) => String(Math.round(x)),
        )} /s`,
    );
    const target = TARGETS.find((t) => t.rate === rate);
    for (const name of target ? SIDES.filter((n) => !n.startsWith('raw')) : []) {
      const p50 = fig(name, (w) => w.ackToApplied.p50);
      const p99 = fig(name, (w) => w.ackToApplied.p99);
      const met = p99 <= target!.p99Ms && (target!.p50Ms === undefined || p50 <= target!.p50Ms);
      console.log(
        `target: ${name} ack->applied at ${rateLabel(rate)}: p99 ≤ ${target!.p99Ms} ms` +
          (target!.p50Ms === undefined ? '' : `, p50 ≤ ${target!.p50Ms} ms`) +
          `: p50 ${ms(p50)}, p99 ${ms(p99)} ms, ${met ? 'met' : 'NOT met'} (reported, not asserted)`,
      );
    }
  }
  writeResult({
    id: 'e2e-latency',
    title: 'Ack-to-applied latency under open-loop load (Postgres)',
    unit: 'ms',
    higherIsBetter: false,
    groupBy: 'rate and percentile',
    groups,
    notes:
      `${DURATION_S} s per rate and side after ${WARMUP_S} s warm-up, ${rounds} round(s), ` +
      `${c.PARTITIONS} partitions, 1,000 entities; ${notes.join('; ')}`,
  });
}

function rdkTransport(library: ConfluentLibrary) {
  return confluentTransport({
    brokers: serviceConfig().kafkaBrokers,
    library,
    clientId: 'lty-bench-e2e',
    transactionalId: c.unique('tx'),
    ...commitInterval(),
    ...rdkOverrides(),
  });
}

/**
 * LTY_BENCH_RDK_OPTIONS: a JSON object of `confluentTransport` options (say `{"maxWaitTimeMs":10}` or
 * `{"librdkafka":{"fetch.min.bytes":1}}`) laid over the benchmark's, to try a setting against the defaults.
 */
function rdkOverrides(): Record<string, unknown> {
  const raw = process.env.LTY_BENCH_RDK_OPTIONS;
  if (!raw) return {};
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`LTY_BENCH_RDK_OPTIONS must be a JSON object, not ${raw}`);
  }
  return parsed as Record<string, unknown>;
}

function logWindow(rate: number, r: number, name: SideName, w: WindowResult): void {
  const stopped =
    w.abandonedAtS === undefined
      ? ''
      : `; stopped sending at ${w.abandonedAtS.toFixed(1)} s (> ${LIMITS.MAX_UNACKED_S} s of sends unacked)`;
  console.log(
    `  ${rateLabel(rate)} round ${r + 1} ${name.padEnd(14)}: ack->applied p50 ${ms(w.ackToApplied.p50)} ` +
      `p99 ${ms(w.ackToApplied.p99)} max ${ms(w.ackToApplied.max)} (ack->delivered p50 ` +
      `${ms(w.ackToDelivered.p50)} p99 ${ms(w.ackToDelivered.p99)}); sched->ack p99 ${ms(w.schedToAck.p99)}; ` +
      `sustained ${Math.round(w.achievedRate)}/s; CPU ${Math.round(w.cpuUsPerCommand)} µs/cmd; ` +
      `late ${w.lateSends}, queued ${w.queued}, ` +
      `failed ${w.failed}, unapplied ${w.unapplied}${stopped}` +
      (w.idle ? '' : '; NOT idle after the window: the next one may be affected'),
  );
}

try {
  await main();
} finally {
  await Promise.allSettled(sides.map((s) => s.stop()));
  const pool = new pg.Pool({ connectionString: serviceConfig().postgresUrl });
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
  await deleteTopics([
    topics.framework,
    `${topics.framework}.dlq`,
    topics.librdkafka,
    `${topics.librdkafka}.dlq`,
    topics.raw,
  ]);
}
