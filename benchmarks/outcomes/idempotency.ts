// What "one idempotency key, one command" costs, in one run:
//   send path: service.send() without a key against send() with a new key per command: fingerprint of the input
//     and one read of the key's ledger record in Postgres (default), or the fingerprint and the process's cache
//     only (idempotencyReadOnSend: false); kafkajs, subscribe: false;
//   apply path: the self-subscriber into Postgres (batch 100) over events without a key against events each with a
//     key of its own and a fingerprint (the worst case: every event is a new command, one ledger write each).
// Run: node --conditions=@listen-to-yourself/source --import tsx benchmarks/outcomes/idempotency.ts
//   [commands per point, default 1000] [events, default 5000] [rounds, default 3]
import { loadavg } from 'node:os';
import pg from 'pg';
import { serviceConfig } from '../../scripts/services/service-config.mjs';
import { createService, HEADERS, onOwnEvent } from '../../packages/core/src/index';
import { postgresStateStore } from '../../packages/postgres/src/index';
import * as a from '../apply/common';
import { frameworkRate } from '../apply/compare';
import { closedLoop, type Sample, type Side } from '../command/closed-loop';
import * as c from '../command/common';
import { writeResult } from '../lib/results';
import { spread } from '../lib/stats';

const COMMANDS = Number(process.argv[2] ?? 1000);
const EVENTS = Number(process.argv[3] ?? 5000);
const ROUNDS = Number(process.argv[4] ?? 3);
const CONCURRENCIES = [1, 16];
const schema = a.unique('idem');
const pool = new pg.Pool({ connectionString: serviceConfig().postgresUrl, max: 10 });
const store = postgresStateStore({ pool }, { schema, dedupCleanupIntervalMs: 0 });
const median = (xs: number[]) => spread(xs).median;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function sendPath(): Promise<void> {
  const topic = c.unique('idem_cmd');
  await c.createTopic(topic);
  const service = (readOnSend: boolean) =>
    createService({
      name: c.SERVICE,
      kafka: { brokers: c.brokers },
      store,
      idempotencyReadOnSend: readOnSend,
      topic: { name: topic },
      ensureTopics: false,
      subscribe: false,
      commands: [c.Deposit],
      handlers: [onOwnEvent(c.Deposited, (s: number | undefined, e) => (s ?? 0) + e.payload.amount)],
    });
  const inPostgres = service(true);
  const cacheOnly = service(false);
  const run = Date.now().toString(36);
  const keyed = (svc: typeof cacheOnly, prefix: string) => (seq: number) =>
    svc.send(c.Deposit, c.deposit(seq), { idempotencyKey: `${prefix}-${run}-${seq}` }).then(() => undefined);
  const sides: Side[] = [
    {
      name: 'no key',
      perCall: 1,
      call: (seq) => inPostgres.send(c.Deposit, c.deposit(seq)).then(() => undefined),
    },
    { name: 'new key, cache only', perCall: 1, call: keyed(cacheOnly, 'm') },
    { name: 'new key, Postgres ledger', perCall: 1, call: keyed(inPostgres, 'p') },
  ];
  try {
    await store.init();
    await Promise.all([inPostgres.start(), cacheOnly.start()]);
    let seq = 0;
    for (const side of sides) await closedLoop(side, 200, 16, (seq += 1e6));
    const samples = sides.map(() => CONCURRENCIES.map((): Sample[] => []));
    for (let r = 0; r < ROUNDS; r++) {
      for (const [ci, conc] of CONCURRENCIES.entries()) {
        const order = r % 2 === 0 ? [0, 1, 2] : [2, 1, 0];
        seq += 1e6;
        for (const s of order) samples[s]![ci]!.push(await closedLoop(sides[s]!, COMMANDS, conc, seq));
      }
    }
    console.log(`\nsend path, ${COMMANDS} commands per point, ${ROUNDS} rounds (medians over rounds)`);
    console.log(
      'concurrency | side                        | cmds/s   p50 ms   p99 ms | thr, p99 against no key',
    );
    const m = (xs: Sample[], f: (x: Sample) => number) => median(xs.map(f));
    for (const [ci, conc] of CONCURRENCIES.entries()) {
      const base = samples[0]![ci]!;
      for (const [s, side] of sides.entries()) {
        const xs = samples[s]![ci]!;
        const thr = m(xs, (x) => x.perSecond) / m(base, (x) => x.perSecond);
        const p99 = m(xs, (x) => x.p99) / m(base, (x) => x.p99);
        console.log(
          `${String(conc).padStart(11)} | ${side.name.padEnd(27)} | ${fmt(m(xs, (x) => x.perSecond)).padStart(6)} ` +
            `${m(xs, (x) => x.p50)
              .toFixed(2)
              .padStart(8)} ${m(xs, (x) => x.p99)
              .toFixed(2)
              .padStart(8)} | ` +
            `${thr.toFixed(2)}x, ${p99.toFixed(2)}x`,
        );
      }
    }
    writeResult({
      id: 'outcomes-send-p99',
      title: 'service.send() with and without an idempotency key: p99 latency per send',
      unit: 'ms',
      higherIsBetter: false,
      groupBy: 'concurrency',
      groups: CONCURRENCIES.map((conc, ci) => ({
        label: String(conc),
        series: sides.map((side, s) => ({ name: side.name, rounds: samples[s]![ci]!.map((x) => x.p99) })),
      })),
      notes: `${COMMANDS} commands per point, kafkajs, load average ${loadavg()[0]!.toFixed(2)}`,
    });
  } finally {
    await Promise.allSettled([inPostgres.stop(), cacheOnly.stop()]);
    await c.deleteTopic(topic);
  }
}

async function applyPath(): Promise<void> {
  const plain = a.unique('idem_plain');
  const keyed = a.unique('idem_keyed');
  await a.produceEvents(plain, EVENTS, 1000);
  // One key per event, each with its own input fingerprint: every event claims a key that is new.
  await a.produceEvents(keyed, EVENTS, 1000, (seq) => ({
    [HEADERS.idempotencyKey]: `key-${seq}`,
    [HEADERS.inputFingerprint]: `fp-${seq}`,
    [HEADERS.command]: 'bench.Deposit',
  }));
  const series = [
    { name: 'no key', topic: plain, rounds: [] as number[] },
    { name: 'a new key per event', topic: keyed, rounds: [] as number[] },
  ];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? series : [...series].reverse();
      for (const s of order) s.rounds.push(await frameworkRate(EVENTS, s.topic, store, 100));
    }
    console.log(`\napply path into Postgres, batch 100, ${EVENTS} events, ${ROUNDS} rounds: events/s`);
    for (const s of series)
      console.log(`  ${s.name}: ${s.rounds.map(fmt).join(', ')} (median ${fmt(median(s.rounds))})`);
    console.log(`  keyed / plain: ${(median(series[1]!.rounds) / median(series[0]!.rounds)).toFixed(2)}x`);
    writeResult({
      id: 'outcomes-apply',
      title: 'Apply into Postgres (batch 100) with and without idempotency keys: events/s',
      unit: 'events/s',
      higherIsBetter: true,
      groupBy: 'batch size',
      groups: [{ label: '100', series: series.map((s) => ({ name: s.name, rounds: s.rounds })) }],
      notes: `${EVENTS} events, 1000 entities, load average ${loadavg()[0]!.toFixed(2)}`,
    });
  } finally {
    await a.deleteTopic(plain);
    await a.deleteTopic(keyed);
  }
}

try {
  console.log(`Cost of one key, one command; load average ${loadavg()[0]!.toFixed(2)}`);
  await sendPath();
  await applyPath();
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
  await pool.end();
}
