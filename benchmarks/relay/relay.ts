// Relay latency: how soon an announcement (`ctx.emit` in a reducer, stored in the entity's outbox with the state)
// is in Kafka after the state commit, under an open-loop load of commands, beside the same service without
// announcements in the same run (what the outbox and the relay cost the apply path).
// Run: node --conditions=@listen-to-yourself/source --import tsx benchmarks/relay/relay.ts
//        [seconds per side and round, default 8] [rounds, default 2] [stores, default postgres,cassandra]
//        [rate, default 1000]
// Full size: relay.ts 20 3
import { writeResult, type GroupResult } from '../lib/results';
import { percentile, spread } from '../lib/stats';
import { measureWindow, type WindowResult } from '../e2e/measure';
import { whenReady } from '../e2e/sides';
import { startRelaySide, type RelaySide, type StoreName } from './side';

const DURATION_S = Number(process.argv[2] ?? 8);
const ROUNDS = Number(process.argv[3] ?? 2);
const STORES = (process.argv[4] ?? 'postgres,cassandra').split(',') as StoreName[];
const RATE = Number(process.argv[5] ?? 1000);
const WARMUP_S = 2;
const FIRST_WARMUP_S = 4;
const TARGET_P99_MS = 50;

interface Visibility {
  readonly appended: readonly number[];
  readonly seen: readonly number[];
  /** Measured commands committed whose announcement no reader saw. */
  readonly missing: number;
}

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const pct = (xs: readonly number[], p: number) => (xs.length === 0 ? NaN : percentile(xs, p));

/** commit → broker append and commit → consumer sight for the window's measured commands. */
async function visibility(side: RelaySide, from: number, n: number): Promise<Visibility> {
  const deadline = Date.now() + 10_000;
  const all = () =>
    [...Array(n).keys()].every((i) => !side.committedAt.has(from + i) || side.seenAt.has(from + i));
  while (!all() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const appended: number[] = [];
  const seen: number[] = [];
  let missing = 0;
  for (let seq = from; seq < from + n; seq++) {
    const commit = side.committedAt.get(seq);
    if (commit === undefined) continue;
    const a = side.appendedAt.get(seq);
    const s = side.seenAt.get(seq);
    if (a === undefined || s === undefined) missing++;
    else {
      // The broker's timestamp has millisecond resolution: a record appended in the commit's millisecond
      // shows as up to 1 ms early.
      appended.push(Math.max(0, a - commit));
      seen.push(s - commit);
    }
  }
  return { appended, seen, missing };
}

async function benchStore(
  store: StoreName,
  groups: { vis: GroupResult[]; cost: GroupResult[] },
  notes: string[],
) {
  const routes: Record<string, ((seq: number, at: number) => void) | undefined> = {};
  const sides: RelaySide[] = [];
  try {
    for (const announces of [true, false]) {
      const key = String(announces);
      sides.push(await startRelaySide({ store, announces, onApplied: (s, at) => routes[key]?.(s, at) }));
    }
    const seq = new Map<RelaySide, number>(sides.map((s) => [s, 0]));
    for (const side of sides) {
      await whenReady(side, seq.get(side)!);
      seq.set(side, seq.get(side)! + 1);
      await measureWindow(side, () => undefined, seq.get(side)!, RATE, FIRST_WARMUP_S, 0);
      seq.set(side, seq.get(side)! + RATE * FIRST_WARMUP_S);
    }
    const windows = new Map<RelaySide, WindowResult[]>(sides.map((s) => [s, []]));
    const vis: Visibility[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
        const base = seq.get(side)!;
        const route = (f: ((s: number, at: number) => void) | undefined) =>
          (routes[String(side.announces)] = f);
        const w = await measureWindow(side, route, base, RATE, WARMUP_S, DURATION_S);
        seq.set(side, base + RATE * (WARMUP_S + DURATION_S));
        windows.get(side)!.push(w);
        let line = `  ${store} round ${r + 1} ${side.announces ? 'with announcements   ' : 'without announcements'}: `;
        line += `ack->applied p50 ${ms(w.ackToApplied.p50)} p99 ${ms(w.ackToApplied.p99)}; sustained `;
        line += `${Math.round(w.achievedRate)}/s; unapplied ${w.unapplied}`;
        if (side.announces) {
          const v = await visibility(side, base + RATE * WARMUP_S, RATE * DURATION_S);
          vis.push(v);
          line += `; commit->appended p50 ${ms(pct(v.appended, 50))} p99 ${ms(pct(v.appended, 99))} max `;
          line += `${ms(pct(v.appended, 100))}; commit->seen p99 ${ms(pct(v.seen, 99))}; not seen ${v.missing}`;
        }
        console.log(line);
      }
    }
    const [on, off] = sides as [RelaySide, RelaySide];
    const med = (xs: number[]) => spread(xs.filter(Number.isFinite)).median;
    const p99App = med(vis.map((v) => pct(v.appended, 99)));
    const p99Seen = med(vis.map((v) => pct(v.seen, 99)));
    const fig = (side: RelaySide, pick: (w: WindowResult) => number) => med(windows.get(side)!.map(pick));
    const stats = on.stats();
    console.log(
      `${store}: commit->appended p99 ${ms(p99App)} ms (median of ${ROUNDS}), commit->seen p99 ${ms(p99Seen)} ms; ` +
        `ack->applied p99 with ${ms(fig(on, (w) => w.ackToApplied.p99))} / without ` +
        `${ms(fig(off, (w) => w.ackToApplied.p99))} ms; sustained ${Math.round(fig(on, (w) => w.achievedRate))} / ` +
        `${Math.round(fig(off, (w) => w.achievedRate))} /s; relay rounds ${stats.relays}, ` +
        `${(stats.relayed / Math.max(1, stats.relays)).toFixed(1)} announcements and ` +
        `${(stats.relayMsTotal / Math.max(1, stats.relays)).toFixed(1)} ms (produce ` +
        `${(stats.relayProduceMsTotal / Math.max(1, stats.relays)).toFixed(1)} ms) per round`,
    );
    console.log(
      `target: announcement in Kafka < ${TARGET_P99_MS} ms p99 after its state commit at ${RATE}/s on ${store}: ` +
        `${ms(p99App)} ms, ${p99App < TARGET_P99_MS ? 'met' : 'NOT met'} (reported, not asserted)`,
    );
    for (const [p, q] of [
      ['p50', 50],
      ['p99', 99],
      ['max', 100],
    ] as const) {
      groups.vis.push({
        label: `${store} ${p}`,
        series: [
          { name: 'broker append', rounds: vis.map((v) => pct(v.appended, q)).filter(Number.isFinite) },
          { name: 'consumer saw it', rounds: vis.map((v) => pct(v.seen, q)).filter(Number.isFinite) },
        ],
      });
      const pick = (w: WindowResult) =>
        q === 50 ? w.ackToApplied.p50 : q === 99 ? w.ackToApplied.p99 : w.ackToApplied.max;
      groups.cost.push({
        label: `${store} ${p}`,
        series: [
          { name: 'with announcements', rounds: windows.get(on)!.map(pick).filter(Number.isFinite) },
          { name: 'without', rounds: windows.get(off)!.map(pick).filter(Number.isFinite) },
        ],
      });
    }
    notes.push(
      `${store}: sustained ${Math.round(fig(on, (w) => w.achievedRate))} / ${Math.round(fig(off, (w) => w.achievedRate))} /s, ` +
        `announcements not seen ${vis.reduce((n, v) => n + v.missing, 0)}`,
    );
  } finally {
    await Promise.allSettled(sides.map((s) => s.stop()));
  }
}

async function main(): Promise<void> {
  console.log(
    `Relay latency, open loop at ${RATE}/s: ${DURATION_S} s per side and round after ${WARMUP_S} s warm-up, ` +
      `${ROUNDS} round(s), stores ${STORES.join(', ')}`,
  );
  const groups = { vis: [] as GroupResult[], cost: [] as GroupResult[] };
  const notes: string[] = [];
  for (const store of STORES) await benchStore(store, groups, notes);
  const common = `${RATE}/s open loop, ${DURATION_S} s per side after ${WARMUP_S} s warm-up, ${ROUNDS} round(s)`;
  writeResult({
    id: 'relay-visibility',
    title: 'Announcement in Kafka after its state commit',
    unit: 'ms',
    higherIsBetter: false,
    groupBy: 'store and percentile',
    groups: groups.vis,
    notes: `${common}; ${notes.join('; ')}`,
  });
  writeResult({
    id: 'relay-apply-cost',
    title: 'Ack-to-applied with and without announcements',
    unit: 'ms',
    higherIsBetter: false,
    groupBy: 'store and percentile',
    groups: groups.cost,
    notes: common,
  });
}

await main();
process.exit(0);
