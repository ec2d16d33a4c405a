// Tracing and metrics on beside off: the command path (service.send(), 16 callers) and the apply path (the
// self-subscriber into the in-memory store, applyBatchSize 1 and 100), same topic and records, in one run; the
// side that goes first alternates by round. "On" is the real OpenTelemetry SDK registered globally (sdk.ts).
// Run: node --conditions=@listen-to-yourself/source --import tsx benchmarks/telemetry/overhead.ts [records per point, default 10000] [rounds, default 3]
import { inMemoryStateStore } from '../../packages/core/src/index';
import { produceEvents, deleteTopic as deleteApplyTopic } from '../apply/common';
import { frameworkRate } from '../apply/compare';
import { closedLoop } from '../command/closed-loop';
import * as c from '../command/common';
import { benchService, frameworkSide } from '../command/framework-side';
import { spread } from '../lib/stats';
import { writeResult, type GroupResult } from '../lib/results';
import { telemetryOn } from './sdk';

const N = Number(process.argv[2] ?? 10_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const CONCURRENCY = 16;
const BATCHES = [1, 100];
const SIDES = ['off', 'on'] as const;

/** Runs `measure` with telemetry off or on; with it on, also returns what the SDK received. */
async function withTelemetry(side: (typeof SIDES)[number], measure: () => Promise<number>) {
  const sdk = side === 'on' ? telemetryOn() : undefined;
  try {
    return { value: await measure(), exported: sdk ? await sdk.off() : undefined };
  } catch (err) {
    await sdk?.off();
    throw err;
  }
}

/** One figure per side and round, the order of the sides alternating by round. */
async function rounds(label: string, measure: () => Promise<number>): Promise<GroupResult> {
  const figures = { off: [] as number[], on: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const side of r % 2 === 0 ? SIDES : [...SIDES].reverse()) {
      const { value, exported } = await withTelemetry(side, measure);
      figures[side].push(value);
      const sdk = exported ? `, ${exported.spans} spans, ${exported.collections} metric collections` : '';
      console.log(`${label} round ${r + 1} telemetry ${side}: ${Math.round(value)} records/s${sdk}`);
    }
  }
  const [off, on] = [spread(figures.off), spread(figures.on)];
  console.log(`${label}: median on/off ${(on.median / off.median).toFixed(3)}`);
  return { label, series: SIDES.map((s) => ({ name: `telemetry ${s}`, rounds: figures[s] })) };
}

async function commandPath(): Promise<GroupResult> {
  const topic = c.unique('otel_cmd');
  await c.createTopic(topic);
  let seq = 0;
  try {
    return await rounds(`send(), ${CONCURRENCY} callers`, async () => {
      // A new service per run: it takes the meter provider registered when it starts.
      const service = benchService(topic, { kafka: { brokers: c.brokers } });
      await service.start();
      try {
        const sample = await closedLoop(frameworkSide(service), N, CONCURRENCY, seq);
        seq += N;
        return sample.perSecond;
      } finally {
        await service.stop();
      }
    });
  } finally {
    await c.deleteTopic(topic);
  }
}

async function applyPath(): Promise<GroupResult[]> {
  const topic = c.unique('otel_apply');
  // Every event carries a producer's traceparent, as events of a traced service do.
  const traceparent = (seq: number) => ({
    traceparent: `00-${seq.toString(16).padStart(32, '0')}-${(seq + 1).toString(16).padStart(16, '0')}-01`,
  });
  await produceEvents(topic, N, 1000, traceparent);
  try {
    const groups: GroupResult[] = [];
    for (const batch of BATCHES) {
      groups.push(
        await rounds(`apply, batch ${batch}`, () => frameworkRate(N, topic, inMemoryStateStore(), batch)),
      );
    }
    return groups;
  } finally {
    await deleteApplyTopic(topic);
  }
}

console.log(`Telemetry on beside off: ${N} records per point, ${ROUNDS} rounds`);
const groups = [await commandPath(), ...(await applyPath())];
writeResult({
  id: 'telemetry-overhead',
  title: 'Tracing and metrics on beside off (command and apply paths)',
  unit: 'records/s',
  higherIsBetter: true,
  groupBy: 'path',
  groups,
  notes: `${N} records per point, in-memory store, ${c.PARTITIONS} partitions`,
});
