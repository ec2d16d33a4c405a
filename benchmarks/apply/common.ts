// Shared by the apply-path benchmarks: the event, producing it, timing a consumer and printing the table.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { z } from 'zod';
import { serviceConfig } from '../../scripts/services/service-config.mjs';
import { HEADERS, defineEvent } from '../../packages/core/src/index';
import { writeResult } from '../lib/results';

export const PARTITIONS = 8;
export const CONCURRENCY = 8; // the framework's default partitionsConsumedConcurrently
export const COMMIT_EVERY = 100; // the framework's default commitEveryRecords
export const ROUNDS = 3;

export const Deposited = defineEvent({
  type: 'bench.Deposited',
  schema: z.object({ account: z.string(), amount: z.number().int(), seq: z.number().int() }),
  key: (e) => e.account,
});
export type Deposit = z.infer<typeof Deposited.schema>;
export interface Account {
  balance: number;
  deposits: number;
}
export const reduce = (s: Account | undefined, d: Deposit): Account => ({
  balance: (s?.balance ?? 0) + d.amount,
  deposits: (s?.deposits ?? 0) + 1,
});

export const unique = (what: string) => `lty_bench_${what}_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
export const kafka = new Kafka({
  clientId: 'lty-bench',
  brokers: serviceConfig().kafkaBrokers,
  logLevel: logLevel.NOTHING,
});

/**
 * Creates the topic and produces `n` events over `entities` keys, with the framework's headers (and `extra`
 * ones per event, if given), JSON values.
 */
export async function produceEvents(
  topic: string,
  n: number,
  entities: number,
  extra?: (seq: number) => Record<string, string>,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  // The service tails `<topic>.dlq` too; `ensureTopics: false` leaves creating it to us.
  const topics = [topic, `${topic}.dlq`].map((t) => ({ topic: t, numPartitions: PARTITIONS }));
  await admin.createTopics({ topics, waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const producedAt = new Date().toISOString();
  for (let from = 0; from < n; from += 1000) {
    const messages = Array.from({ length: Math.min(1000, n - from) }, (_, j) => {
      const seq = from + j;
      const payload: Deposit = { account: `acc-${seq % entities}`, amount: 1 + (seq % 7), seq };
      return {
        key: payload.account,
        value: JSON.stringify(payload),
        headers: {
          [HEADERS.eventId]: randomUUID(),
          [HEADERS.eventType]: Deposited.type,
          [HEADERS.schemaVersion]: '1',
          [HEADERS.correlationId]: randomUUID(),
          [HEADERS.producedAt]: producedAt,
          [HEADERS.service]: 'bench',
          ...extra?.(seq),
        },
      };
    });
    for (let attempt = 1; ; attempt++) {
      try {
        await producer.send({ topic, acks: -1, messages });
        break;
      } catch (err) {
        if (attempt >= 30) throw err; // a new topic's metadata can take a moment to reach the broker
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
  await producer.disconnect();
}

export async function deleteTopic(topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
  await admin.disconnect();
}

/**
 * Starts a consumer and measures events/s from the first applied event to the last (group join excluded):
 * `(n - applied at first sight) / elapsed`, polling `applied` every 2 ms.
 */
export async function timeRun(n: number, applied: () => number, start: () => Promise<void>): Promise<number> {
  await start();
  const deadline = Date.now() + 600_000;
  const pause = () => new Promise((r) => setTimeout(r, 2));
  while (applied() === 0) {
    if (Date.now() > deadline) throw new Error('nothing applied within 10 minutes');
    await pause();
  }
  const t0 = performance.now();
  const first = applied();
  // Nothing left to time: a rate from this run would read 0 (or divide by nothing). The run is too small.
  if (first >= n)
    throw new Error(`all ${n} records were applied before the first poll: run with more records`);
  while (applied() < n) {
    if (Date.now() > deadline) throw new Error(`only ${applied()} of ${n} applied within 10 minutes`);
    await pause();
  }
  return ((n - first) / (performance.now() - t0)) * 1000;
}

export interface RawRecord {
  partition: number;
  offset: string;
  key: string;
  eventId: string;
  payload: Deposit;
}

/**
 * The hand-written consumer: eachBatch, runs of `batchSize` records to `applyRun`, commits every 100 records. A
 * fresh group unless `groupId` is given (instances of one scaling run share theirs).
 */
export async function rawConsumer(
  topic: string,
  batchSize: number,
  applyRun: (records: RawRecord[]) => Promise<void>,
  onApplied: (count: number) => void,
  groupId: string = unique('raw'),
): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 250 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: CONCURRENCY,
    eachBatch: async (payload) => {
      const { batch } = payload;
      let sinceCommit = 0;
      const commit = async (last: KafkaMessage) => {
        const offset = (BigInt(last.offset) + 1n).toString();
        await consumer.commitOffsets([{ topic, partition: batch.partition, offset }]);
        sinceCommit = 0;
      };
      for (let i = 0; i < batch.messages.length && payload.isRunning(); i += batchSize) {
        const run = batch.messages.slice(i, i + batchSize);
        await applyRun(run.map((m) => toRaw(batch.partition, m)));
        const last = run[run.length - 1]!;
        payload.resolveOffset(last.offset);
        onApplied(run.length);
        sinceCommit += run.length;
        if (sinceCommit >= COMMIT_EVERY) await commit(last);
        await payload.heartbeat();
      }
      const last = batch.messages[batch.messages.length - 1];
      if (sinceCommit > 0 && last) await commit(last);
    },
  });
  return consumer;
}

function toRaw(partition: number, m: KafkaMessage): RawRecord {
  const eventId = m.headers?.[HEADERS.eventId]?.toString() ?? '';
  const payload = JSON.parse(m.value?.toString('utf8') ?? 'null') as Deposit;
  return { partition, offset: m.offset, key: m.key?.toString('utf8') ?? '', eventId, payload };
}

export const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]! };
};

const f = (n: number) => Math.round(n).toLocaleString('en-US').padStart(8);

/** One table row per batch size: framework and raw min / median / max events/s, and the ratio of medians. */
export function printTable(title: string, rows: { batch: number; fw: number[]; raw: number[] }[]): void {
  console.log(`\n${title}`);
  console.log(
    'batch | framework ev/s min / median / max | raw ev/s min / median / max | framework/raw (median)',
  );
  for (const r of rows) {
    const a = stats(r.fw);
    const b = stats(r.raw);
    console.log(
      `${String(r.batch).padStart(5)} | ${f(a.min)} ${f(a.median)} ${f(a.max)}        | ` +
        `${f(b.min)} ${f(b.median)} ${f(b.max)}  | ${(a.median / b.median).toFixed(2)}x`,
    );
  }
}

/** Writes the rows of printTable() as results/<id>.json for the charts. */
export function writeApplyResult(
  id: string,
  title: string,
  notes: string,
  rows: { batch: number; fw: number[]; raw: number[] }[],
): void {
  writeResult({
    id,
    title,
    unit: 'events/s',
    higherIsBetter: true,
    groupBy: 'batch size (applyBatchSize = raw run size)',
    groups: rows.map((r) => ({
      label: String(r.batch),
      series: [
        { name: 'framework', rounds: r.fw },
        { name: 'raw', rounds: r.raw },
      ],
    })),
    notes,
  });
}
