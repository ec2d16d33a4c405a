// Runs the framework and its baselines side by side (same topic, same records, alternating order per round),
// prints the table and the targets, and writes the throughput and p99 results.
import { loadavg } from 'node:os';
import { writeResult, type GroupResult } from '../lib/results';
import { spread, type Spread } from '../lib/stats';
import { closedLoop, type Sample, type Side } from './closed-loop';
import { BATCH, CONCURRENCIES, PARTITIONS, type Args } from './common';

export interface Comparison {
  /** Result ids are `command-<id>-throughput` and `command-<id>-p99`. */
  readonly id: string;
  /** Printed and charted, e.g. 'kafkajs'. */
  readonly client: string;
  /** framework, raw per-call, raw batched: in that order. */
  readonly sides: readonly [Side, Side, Side];
  readonly args: Args;
}

const load = () => loadavg()[0]!.toFixed(2);

export async function compare({ id, client, sides, args }: Comparison): Promise<void> {
  const { commands, rounds } = args;
  const facts =
    `${commands} records per point, ${rounds} rounds, ${PARTITIONS} partitions, idempotent acks=all, ` +
    `self-subscriber not started (subscribe: false), batched: ${BATCH} records per send, latency per send`;
  console.log(`Command path on ${client}: ${facts}; load average ${load()}`);
  let seq = 0;
  // Connections, metadata, JIT: one small pass per side before anything is measured.
  for (const side of sides) await closedLoop(side, Math.min(commands, 10 * BATCH), 16, (seq += 1e6));

  const samples = sides.map(() => CONCURRENCIES.map((): Sample[] => []));
  for (let r = 0; r < rounds; r++) {
    for (const [ci, c] of CONCURRENCIES.entries()) {
      // Alternate which goes first, so that neither always runs on the warmer (or more loaded) side.
      const order = r % 2 === 0 ? [0, 1, 2] : [2, 1, 0];
      seq += 1e6;
      for (const s of order) samples[s]![ci]!.push(await closedLoop(sides[s]!, commands, c, seq));
      const line = sides.map((side, s) => `${side.name} ${fmt(samples[s]![ci]!.at(-1)!.perSecond)}/s`);
      console.log(`  round ${r + 1}, concurrency ${c}: ${line.join(', ')}`);
    }
  }
  printTable(sides, samples);
  printTargets(samples);
  const notes = `${facts}; load average at the end ${load()}`;
  const groups = (figure: (x: Sample) => number): GroupResult[] =>
    CONCURRENCIES.map((c, ci) => ({
      label: String(c),
      series: sides.map((side, s) => ({ name: side.name, rounds: samples[s]![ci]!.map(figure) })),
    }));
  writeResult({
    id: `command-${id}-throughput`,
    title: `service.send() on ${client}: records acknowledged per second`,
    unit: 'commands/s',
    higherIsBetter: true,
    groupBy: 'concurrency',
    groups: groups((x) => x.perSecond),
    notes,
  });
  writeResult({
    id: `command-${id}-p99`,
    title: `service.send() on ${client}: p99 latency per send call`,
    unit: 'ms',
    higherIsBetter: false,
    groupBy: 'concurrency',
    groups: groups((x) => x.p99),
    notes,
  });
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pad = (s: string, n: number) => s.padStart(n);
const ms = (n: number) => pad(n.toFixed(n < 10 ? 2 : 1), 6);
const perSecond = (x: Sample) => x.perSecond;
const p50 = (x: Sample) => x.p50;
const p99 = (x: Sample) => x.p99;
const median = (xs: Sample[], f: (x: Sample) => number) => spread(xs.map(f)).median;
const ratio = (a: Sample[], b: Sample[], f: (x: Sample) => number) => median(a, f) / median(b, f);

function cell(xs: Sample[]): string {
  const t: Spread = spread(xs.map(perSecond));
  const rates = [t.min, t.median, t.max].map((n) => pad(fmt(n), 7)).join(' ');
  return `${rates} ${ms(median(xs, p50))} ${ms(median(xs, p99))}`;
}

/** Throughput min / median / max over rounds; p50 and p99 are the medians over rounds of each round's figure. */
function printTable(sides: readonly Side[], samples: Sample[][][]): void {
  console.log(
    '\nrecords/s min / median / max over rounds; p50, p99 in ms per send call (median over rounds); ' +
      'ratios of medians',
  );
  const head = sides.map((s) => `${s.name} records/s`.padEnd(23) + '   p50    p99').join(' | ');
  console.log(`concurrency | ${head} | fw/raw thr | fw/batched thr | fw/raw p99`);
  for (const [ci, c] of CONCURRENCIES.entries()) {
    const [fw, raw, batched] = samples.map((bySide) => bySide[ci]!) as [Sample[], Sample[], Sample[]];
    const ratios = [
      pad(ratio(fw, raw, perSecond).toFixed(2) + 'x', 10),
      pad(ratio(fw, batched, perSecond).toFixed(2) + 'x', 14),
      pad(ratio(fw, raw, p99).toFixed(2) + 'x', 10),
    ];
    console.log(
      `${pad(String(c), 11)} | ${[fw, raw, batched].map(cell).join(' | ')} | ${ratios.join(' | ')}`,
    );
    const workers = batched[0]!.workers;
    if (workers < c)
      console.log(`${' '.repeat(14)}(raw batched: ${workers} workers, one per 100-record send)`);
  }
}

/**
 * The targets, reported (never asserted): timing on a shared machine is a reading, not a verdict. The raw
 * per-call target is the librdkafka transport's (its client batches one-record sends by itself); the batched and
 * the p99 ones are the kafkajs transport's. Both are printed for both clients.
 */
function printTargets(samples: Sample[][][]): void {
  const at = (s: number, c: number) => samples[s]![CONCURRENCIES.indexOf(c)]!;
  const check = (what: string, value: number, ok: boolean, target: string) =>
    console.log(`  ${what}: ${value.toFixed(2)}x (target ${target}: ${ok ? 'met' : 'not met'})`);
  console.log('\nTargets');
  const lat = ratio(at(0, 1), at(1, 1), p99);
  check('concurrency 1, framework p99 / raw per-call p99', lat, lat <= 1.2, '≤ 1.20x');
  const vsRaw = ratio(at(0, 256), at(1, 256), perSecond);
  check('concurrency 256, framework / raw per-call throughput', vsRaw, vsRaw >= 0.9, '≥ 0.90x');
  const vsBatched = ratio(at(0, 256), at(2, 256), perSecond);
  check('concurrency 256, framework / raw batched throughput', vsBatched, vsBatched >= 0.9, '≥ 0.90x');
}
