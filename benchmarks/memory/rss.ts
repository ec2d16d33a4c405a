// Memory under steady load: the framework service and the raw baseline, each in a child process of its own
// (so each resident set is its own), receive the same open-loop load over the same minutes; both are sampled
// together every few seconds. The least-squares slope after the warm-up shows whether memory keeps growing.
// Run: node --conditions=@listen-to-yourself/source --import tsx benchmarks/memory/rss.ts
//        [seconds, default 600] [commands per second, default 500] [seconds between samples, default 5]
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { serviceConfig } from '../../scripts/services/service-config.mjs';
import { postgresStateStore } from '../../packages/postgres/src/index';
import * as c from '../apply/common';
import { deleteTopics, type SideName } from '../e2e/sides';
import { writeResult } from '../lib/results';
import { slope } from '../lib/stats';
import type { Command, Reply, Sample } from './protocol';

const DURATION_S = Number(process.argv[2] ?? 600);
const RATE = Number(process.argv[3] ?? 500);
const SAMPLE_S = Number(process.argv[4] ?? 5);
// Heap and caches fill during the first minute (JIT, connection pools, kafkajs buffers); the slope starts after.
const WARMUP_S = Math.min(60, DURATION_S / 5);
const SIDES: SideName[] = ['framework', 'raw'];
const CHILD = fileURLToPath(new URL('./load-child.ts', import.meta.url));

const schema = c.unique('mem');
const topics: Record<SideName, string> = { framework: c.unique('mem_fw'), raw: c.unique('mem_raw') };
const children = new Map<SideName, ChildProcess>();
const mb = (bytes: number) => bytes / 2 ** 20;
interface Point extends Sample {
  readonly t: number;
}

/** Starts a child and resolves once it has joined its group and applied a first event. */
function spawnSide(name: SideName): Promise<ChildProcess> {
  // The same node flags as ours (--import tsx, the source condition), so the child runs the same code.
  const child = fork(CHILD, [name, topics[name], schema, String(RATE)], { execArgv: process.execArgv });
  children.set(name, child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} child exited (${code}) before it was ready`)));
    child.on('message', (m: Reply) => {
      if (m.kind === 'ready') resolve(child);
      if (m.kind === 'error') reject(new Error(`${name} child: ${m.message}`));
    });
  });
}

/** Asks a child for a sample; its reply waits for its event loop, like any other work there. */
function ask(child: ChildProcess, what: Command, expect: Reply['kind'], timeoutMs: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${expect}' within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: Reply) => {
      if (m.kind !== expect) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(m);
    };
    child.on('message', onMessage);
    child.send(what);
  });
}

async function sampleAll(t: number, series: Record<SideName, Point[]>): Promise<void> {
  const replies = await Promise.all(SIDES.map((n) => ask(children.get(n)!, 'sample', 'sample', 30_000)));
  replies.forEach((r, i) => {
    if (r.kind === 'sample') series[SIDES[i]!].push({ ...r, t });
  });
}

function report(series: Record<SideName, Point[]>): void {
  // Megabytes to a tenth, counts and rates whole.
  const f = (label: string, x: number) => x.toFixed(label.includes('MB') ? 1 : 0).padStart(10);
  const rows: [string, (p: Point[]) => number][] = [
    ['RSS first MB', (p) => mb(p[0]!.rss)],
    ['RSS last MB', (p) => mb(p[p.length - 1]!.rss)],
    ['RSS max MB', (p) => Math.max(...p.map((s) => mb(s.rss)))],
    ['RSS slope MB/min', (p) => slopeOf(p, (s) => s.rss)],
    ['heap first MB', (p) => mb(p[0]!.heapUsed)],
    ['heap last MB', (p) => mb(p[p.length - 1]!.heapUsed)],
    ['heap max MB', (p) => Math.max(...p.map((s) => mb(s.heapUsed)))],
    ['heap slope MB/min', (p) => slopeOf(p, (s) => s.heapUsed)],
    ['sent /s', (p) => p[p.length - 1]!.sent / DURATION_S],
    ['applied /s', (p) => p[p.length - 1]!.applied / DURATION_S],
    ['backlog at end', (p) => p[p.length - 1]!.sent - p[p.length - 1]!.applied],
    ['failed sends', (p) => p[p.length - 1]!.failed],
  ];
  console.log(`\n${''.padEnd(20)}${'framework'.padStart(10)}${'raw'.padStart(10)}`);
  for (const [label, pick] of rows)
    console.log(`${label.padEnd(20)}${f(label, pick(series.framework))}${f(label, pick(series.raw))}`);
  console.log(`(slopes: least squares over the ${SAMPLE_S} s samples after the first ${WARMUP_S} s)`);
}

/** MB per minute over the samples after the warm-up. */
function slopeOf(points: Point[], pick: (p: Point) => number): number {
  const after = points.filter((p) => p.t >= WARMUP_S);
  if (after.length < 2) return NaN;
  return slope(
    after.map((p) => p.t / 60),
    after.map((p) => mb(pick(p))),
  );
}

async function main(): Promise<void> {
  console.log(
    `Memory under load: ${RATE} commands/s for ${DURATION_S} s to each side at once, a sample every ` +
      `${SAMPLE_S} s, slope after ${WARMUP_S} s; each side in its own process`,
  );
  // The tables, before either side starts, so that the two do not race to create them.
  const tables = postgresStateStore({ connectionString: serviceConfig().postgresUrl }, { schema });
  await tables.init();
  await tables.close();
  await Promise.all(SIDES.map(spawnSide));
  const series: Record<SideName, Point[]> = { framework: [], raw: [] };
  const t0 = performance.now();
  for (const child of children.values()) child.send('go' satisfies Command);
  await sampleAll(0, series);
  for (let k = 1; k * SAMPLE_S <= DURATION_S; k++) {
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + k * SAMPLE_S * 1000 - performance.now())));
    await sampleAll(k * SAMPLE_S, series);
    const last = (n: SideName) => series[n][series[n].length - 1]!;
    if (k % 12 === 0 || k * SAMPLE_S + SAMPLE_S > DURATION_S) {
      console.log(
        `  ${k * SAMPLE_S} s: RSS framework ${mb(last('framework').rss).toFixed(1)} MB, raw ` +
          `${mb(last('raw').rss).toFixed(1)} MB; applied ${last('framework').applied} / ${last('raw').applied}`,
      );
    }
  }
  await Promise.all([...children.values()].map((ch) => ask(ch, 'stop', 'done', 90_000)));
  report(series);
  const groups = (
    [
      ['start', (p: Point[]) => p[0]!.rss],
      ['end', (p: Point[]) => p[p.length - 1]!.rss],
      ['max', (p: Point[]) => Math.max(...p.map((s) => s.rss))],
    ] as const
  ).map(([label, pick]) => ({
    label,
    series: SIDES.map((name) => ({ name, rounds: [mb(pick(series[name]))] })),
  }));
  const slopes = SIDES.map((n) => `${n} ${slopeOf(series[n], (s) => s.rss).toFixed(2)}`).join(', ');
  const facts = `${RATE} commands/s for ${DURATION_S} s, sampled every ${SAMPLE_S} s; each side in its own process`;
  writeResult({
    id: 'memory-rss',
    title: 'Resident set size under steady load (Postgres)',
    unit: 'MB',
    higherIsBetter: false,
    groupBy: 'sample',
    groups,
    notes: `${facts}; RSS slope after ${WARMUP_S} s (MB/min): ${slopes}`,
  });
  // Every sample, for a line chart: one group per sample time.
  writeResult({
    id: 'memory-rss-samples',
    title: 'Resident set size over time under steady load (Postgres)',
    unit: 'MB',
    higherIsBetter: false,
    groupBy: 'seconds since the load started',
    groups: series.framework.map((p, i) => ({
      label: String(p.t),
      series: SIDES.map((name) => ({ name, rounds: [mb(series[name][i]!.rss)] })),
    })),
    notes: facts,
  });
}

try {
  await main();
} finally {
  for (const child of children.values())
    if (child.exitCode === null && child.signalCode === null) child.kill();
  const pool = new pg.Pool({ connectionString: serviceConfig().postgresUrl });
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
  await deleteTopics([topics.framework, `${topics.framework}.dlq`, topics.raw]);
}
