// The hand-written baseline on @confluentinc/kafka-javascript, for the librdkafka side: what a user of that
// library would write without the framework. One native produce() per command with the framework's producer
// settings (idempotent, acks=all, linger.ms 5, a delivery report per record), and the library's
// KafkaJS-compatible consumer with its defaults (offsets resolved per batch and committed in the background),
// applying each partition's batch with the same raw Postgres transaction as the kafkajs baseline.
// LTY_BENCH_RAW_RDK_CONSUMER=native swaps that consumer for a loop on the library's native API that fetches
// again while the records before apply, each transaction taking what arrived during the one before, and stores
// each applied offset for librdkafka's background commits: a consumer without the compatible layer's barrier
// (no fetch until every partition's batch has returned).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { serviceConfig } from '../../scripts/services/service-config.mjs';
import { HEADERS } from '../../packages/core/src/index';
import { postgresStateStore } from '../../packages/postgres/src/index';
import type { ConfluentLibrary } from '../../packages/transport-confluent/src/index';
import * as c from '../apply/common';
import { rawPostgresApply } from '../apply/raw-postgres';
import { createTopic, type Side, type SideOptions } from './sides';

/** What this file uses of the library beyond the transport's own typings. */
interface RawLibrary {
  readonly Producer: new (config: Record<string, unknown>) => {
    connect(metadata: null, cb: (err: Error | null) => void): void;
    setPollInBackground(on: boolean): void;
    on(event: 'delivery-report', cb: (err: Error | null, report: { opaque: unknown }) => void): void;
    produce(...args: unknown[]): unknown;
    disconnect(timeoutMs: number, cb: () => void): void;
  };
  readonly KafkaConsumer: new (config: Record<string, unknown>, topicConfig: object) => NativeConsumer;
  readonly KafkaJS: {
    readonly Kafka: new (config: Record<string, unknown>) => {
      consumer(config: Record<string, unknown>): RawConsumer;
    };
  };
}
interface RawConsumer {
  connect(): Promise<void>;
  subscribe(args: { topics: string[] }): Promise<void>;
  run(args: {
    partitionsConsumedConcurrently: number;
    eachBatch: (payload: {
      batch: { partition: number; messages: RawMessage[] };
      resolveOffset(offset: string): void;
      isRunning(): boolean;
    }) => Promise<void>;
  }): Promise<void>;
  disconnect(): Promise<void>;
}
interface NativeConsumer {
  connect(metadata: null, cb: (err: Error | null) => void): void;
  subscribe(topics: string[]): void;
  setDefaultConsumeTimeout(ms: number): void;
  setDefaultIsTimeoutOnlyForFirstMessage(on: boolean): void;
  consume(n: number, cb: (err: Error | null, messages: NativeMessage[]) => void): void;
  offsetsStore(offsets: { topic: string; partition: number; offset: number }[]): void;
  disconnect(cb: () => void): void;
}
interface NativeMessage {
  topic: string;
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer>[];
}
interface RawMessage {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
  headers?: Record<string, Buffer | string | undefined>;
}

export async function startRawLibrdkafka(o: SideOptions, library: ConfluentLibrary): Promise<Side> {
  const lib = library as unknown as RawLibrary;
  const brokers = serviceConfig().kafkaBrokers;
  await createTopic(o.topic);
  const pool = new pg.Pool({ connectionString: serviceConfig().postgresUrl, max: 10 });
  pool.on('error', () => undefined);
  await postgresStateStore({ pool }, { schema: o.schema, dedupCleanupIntervalMs: 0 }).init();
  const apply = rawPostgresApply(pool, o.schema, o.topic);
  const type = c.unique('rawrdk');

  const producer = new lib.Producer({
    'bootstrap.servers': brokers.join(','),
    'enable.idempotence': true,
    acks: -1,
    'linger.ms': 5,
    partitioner: 'murmur2_random',
    dr_cb: true,
  });
  producer.on('delivery-report', (err, report) => (report.opaque as (e: Error | null) => void)(err));
  await new Promise<void>((resolve, reject) => producer.connect(null, (e) => (e ? reject(e) : resolve())));
  producer.setPollInBackground(true);

  let applied = 0;
  const applyRun = async (records: c.RawRecord[]) => {
    await apply(type, records);
    applied += records.length;
    const at = performance.now();
    for (const r of records) o.onApplied?.(r.payload.seq, at);
  };
  const stopConsumer =
    process.env.LTY_BENCH_RAW_RDK_CONSUMER === 'native'
      ? await nativeConsumer(lib, brokers, o.topic, applyRun)
      : await compatibleConsumer(lib, brokers, o.topic, applyRun);

  return {
    name: 'raw-librdkafka',
    send(d) {
      const headers = [
        { [HEADERS.eventId]: randomUUID() },
        { [HEADERS.eventType]: c.Deposited.type },
        { [HEADERS.schemaVersion]: '1' },
        { [HEADERS.correlationId]: randomUUID() },
        { [HEADERS.producedAt]: new Date().toISOString() },
        { [HEADERS.service]: 'bench' },
      ];
      return new Promise<void>((resolve, reject) => {
        const done = (err: Error | null) => (err ? reject(err) : resolve());
        producer.produce(o.topic, null, Buffer.from(JSON.stringify(d)), d.account, null, done, headers);
      });
    },
    applied: () => applied,
    async stop() {
      await stopConsumer();
      await new Promise<void>((resolve) => producer.disconnect(5000, resolve));
      await pool.end();
    },
  };
}

type ApplyRun = (records: c.RawRecord[]) => Promise<void>;

/** The library's KafkaJS-compatible consumer with its defaults; resolves with its stop. */
async function compatibleConsumer(
  lib: RawLibrary,
  brokers: string[],
  topic: string,
  applyRun: ApplyRun,
): Promise<() => Promise<void>> {
  const consumer = new lib.KafkaJS.Kafka({ kafkaJS: { brokers, logLevel: 0 } }).consumer({
    kafkaJS: { groupId: c.unique('rawrdk'), fromBeginning: true, maxWaitTimeInMs: 250 },
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic] });
  await consumer.run({
    partitionsConsumedConcurrently: c.CONCURRENCY,
    eachBatch: async (payload) => {
      const { batch } = payload;
      for (let i = 0; i < batch.messages.length && payload.isRunning(); i += 100) {
        const run = batch.messages.slice(i, i + 100);
        await applyRun(run.map((m) => toRaw(batch.partition, m)));
        payload.resolveOffset(run[run.length - 1]!.offset);
      }
    },
  });
  return () => consumer.disconnect();
}

const MAX_PENDING = 5000;
const MAX_PER_TRANSACTION = 1000;

/**
 * A consume loop on the native API that fetches again at once, and one apply loop: each transaction takes every
 * record that arrived while the one before it ran (at most `MAX_PER_TRANSACTION`), so transactions grow with the
 * load instead of multiplying. Resolves with its stop.
 */
async function nativeConsumer(
  lib: RawLibrary,
  brokers: string[],
  topic: string,
  applyRun: ApplyRun,
): Promise<() => Promise<void>> {
  const consumer = new lib.KafkaConsumer(
    {
      'bootstrap.servers': brokers.join(','),
      'group.id': c.unique('rawrdk'),
      'enable.auto.offset.store': false,
      'fetch.wait.max.ms': 250,
      log_level: 0,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) => consumer.connect(null, (e) => (e ? reject(e) : resolve())));
  consumer.subscribe([topic]);
  consumer.setDefaultConsumeTimeout(100);
  consumer.setDefaultIsTimeoutOnlyForFirstMessage(true);
  const queue: NativeMessage[] = [];
  let running = true;
  let wake: (() => void) | undefined;
  let drained: (() => void) | undefined;
  const consume = () =>
    new Promise<NativeMessage[]>((resolve, reject) =>
      consumer.consume(1000, (err, messages) => (err ? reject(err) : resolve(messages))),
    );
  const fetching = (async () => {
    while (running) {
      if (queue.length >= MAX_PENDING) await new Promise<void>((r) => (drained = r));
      const messages = await consume().catch(() => [] as NativeMessage[]);
      if (messages.length === 0) continue;
      queue.push(...messages);
      wake?.();
    }
  })();
  const applying = (async () => {
    while (running || queue.length > 0) {
      if (queue.length === 0) {
        await new Promise<void>((r) => (wake = r));
        continue;
      }
      const taken = queue.splice(0, MAX_PER_TRANSACTION);
      drained?.();
      await applyRun(taken.map((m) => toRaw(m.partition, nativeToRaw(m))));
      const next = new Map<number, number>();
      for (const m of taken) next.set(m.partition, m.offset + 1);
      consumer.offsetsStore([...next].map(([partition, offset]) => ({ topic, partition, offset })));
    }
  })();
  return async () => {
    running = false;
    await fetching;
    wake?.();
    await applying;
    await new Promise<void>((resolve) => consumer.disconnect(resolve));
  };
}

/** A native message in the compatible API's shape. */
function nativeToRaw(m: NativeMessage): RawMessage {
  const headers: Record<string, Buffer> = {};
  for (const h of m.headers ?? []) for (const name in h) headers[name] = h[name]!;
  return { key: m.key, value: m.value, offset: String(m.offset), headers };
}

function toRaw(partition: number, m: RawMessage): c.RawRecord {
  const eventId = m.headers?.[HEADERS.eventId]?.toString() ?? '';
  const payload = JSON.parse(m.value?.toString('utf8') ?? 'null') as c.Deposit;
  return { partition, offset: m.offset, key: m.key?.toString('utf8') ?? '', eventId, payload };
}
