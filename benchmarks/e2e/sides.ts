// The two systems under load, behind one interface: the framework (createService, one command → one event,
// onOwnEvent into postgresStateStore, default options) and the hand-written baseline (a kafkajs idempotent
// producer, one send per command, and an eachBatch consumer applying with rawPostgresApply).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { PoolClient } from 'pg';
import type { z } from 'zod';
import { serviceConfig } from '../../scripts/services/service-config.mjs';
import {
  HEADERS,
  createService,
  defineCommand,
  kafkaTransport,
  onOwnEvent,
} from '../../packages/core/src/index';
import type { StateStore } from '../../packages/core/src/store/state-store';
import type { Transport } from '../../packages/core/src/transport/transport';
import {
  isTopicNotReadyYet,
  waitForTopicLeaders,
} from '../../packages/core/src/transport/kafka-topic-leaders';
import { postgresStateStore } from '../../packages/postgres/src/index';
import * as c from '../apply/common';
import { rawPostgresApply } from '../apply/raw-postgres';

export type SideName = 'framework' | 'raw';
/**
 * The latency benchmark's sides: the memory benchmark's two, the framework on the librdkafka transport, and the
 * hand-written baseline on the same library.
 */
export type LatencySideName = SideName | 'librdkafka' | 'raw-librdkafka';

export interface Side {
  readonly name: LatencySideName;
  /** Sends one command; resolves once the broker acknowledged it (acks=all). */
  send(deposit: c.Deposit): Promise<void>;
  /** Events applied since start. */
  applied(): number;
  stop(): Promise<void>;
}

/** `deliveredAt`: when the transport handed the event's batch to the subscriber (undefined on the raw side). */
export type OnApplied = (seq: number, at: number, deliveredAt?: number) => void;

export interface SideOptions {
  topic: string;
  schema: string;
  /**
   * Called with the command's seq when its event's store transaction has committed, and (framework sides) when
   * its record reached the subscriber. Omitted, nothing per event is kept (the memory benchmark must not measure
   * a tracker of its own).
   */
  onApplied?: OnApplied;
}

export const Deposit = defineCommand({
  name: 'bench.Deposit',
  input: c.Deposited.schema,
  toEvents: (d: z.output<typeof c.Deposited.schema>) => c.Deposited.of(d),
});

/**
 * LTY_BENCH_COMMIT_INTERVAL_MS sets the framework's `commitIntervalMs` on both transports (0: an awaited commit
 * after every batch, as before background commits), for a before-and-after on the same machine.
 */
export function commitInterval(): { commitIntervalMs?: number } {
  const v = process.env.LTY_BENCH_COMMIT_INTERVAL_MS;
  return v === undefined ? {} : { commitIntervalMs: Number(v) };
}

/** The framework side; with `transport`, on that transport instead of the default kafkajs one. */
export async function startFramework(
  o: SideOptions,
  transport?: { readonly name: 'librdkafka'; readonly make: () => Transport },
): Promise<Side> {
  const pgStore = postgresStateStore({ connectionString: serviceConfig().postgresUrl }, { schema: o.schema });
  // Which command an event belongs to: filled by the reducer, read when the store's transaction has committed.
  // The stats counters say how many were applied, not which; waitForApplied polls the store (adding load and a
  // poll interval to the figure). Wrapping the store adds two Map operations per event.
  const seqOf = new Map<string, number>();
  // When each event's batch reached the subscriber, by event id: splits ack->applied into the wait for the fetch
  // and the apply. One Map operation per event more.
  const deliveredAt = new Map<string, number>();
  const store: StateStore<PoolClient> = o.onApplied
    ? trackingStore(pgStore, seqOf, deliveredAt, o.onApplied)
    : pgStore;
  const name = c.unique('e2e');
  const made = transport
    ? transport.make()
    : kafkaTransport({ brokers: serviceConfig().kafkaBrokers, clientId: name, ...commitInterval() });
  const service = createService({
    name,
    transport: o.onApplied ? markDeliveries(made, deliveredAt) : made,
    store,
    topic: { name: o.topic },
    commands: [Deposit],
    handlers: [
      onOwnEvent(c.Deposited, (s: c.Account | undefined, e) => {
        if (o.onApplied) seqOf.set(e.meta.eventId, e.payload.seq);
        return c.reduce(s, e.payload);
      }),
    ],
  });
  await service.start();
  return {
    name: transport?.name ?? 'framework',
    send: async (d) => void (await service.send(Deposit, d)),
    applied: () => service.stats().applied,
    async stop() {
      await service.stop();
      await pgStore.close();
    },
  };
}

/** The transport, with the time each consumed record's batch reached the subscriber kept by event id. */
function markDeliveries(inner: Transport, deliveredAt: Map<string, number>): Transport {
  return {
    ...inner,
    consume: (options) =>
      inner.consume({
        ...options,
        eachBatch: (batch, control) => {
          const at = performance.now();
          for (const r of batch.records) {
            const id = r.headers[HEADERS.eventId];
            if (id !== undefined && !deliveredAt.has(id)) deliveredAt.set(id, at);
          }
          return options.eachBatch(batch, control);
        },
      }),
  };
}

function trackingStore(
  inner: StateStore<PoolClient>,
  seqOf: Map<string, number>,
  deliveredAt: Map<string, number>,
  onApplied: OnApplied,
): StateStore<PoolClient> {
  const mark = (eventIds: readonly string[]) => {
    const at = performance.now();
    for (const id of eventIds) {
      const seq = seqOf.get(id);
      if (seq === undefined) continue; // a duplicate: its reducer did not run
      seqOf.delete(id);
      const delivered = deliveredAt.get(id);
      deliveredAt.delete(id);
      onApplied(seq, at, delivered);
    }
  };
  return {
    ...inner,
    async apply(change) {
      const result = await inner.apply(change);
      mark([change.eventId]);
      return result;
    },
    async applyBatch(changes) {
      const results = await inner.applyBatch(changes);
      mark(changes.map((ch) => ch.eventId));
      return results;
    },
  };
}

export async function createTopic(topic: string, config: Record<string, string> = {}): Promise<void> {
  const admin = c.kafka.admin();
  await admin.connect();
  try {
    const configEntries = Object.entries(config).map(([name, value]) => ({ name, value }));
    await admin
      .createTopics({ topics: [{ topic, numPartitions: c.PARTITIONS, configEntries }], waitForLeaders: true })
      .catch(async (err: unknown) => {
        // A loaded broker may answer its own new topic with "does not host this topic-partition" for a moment.
        if (!isTopicNotReadyYet(err)) throw err;
        await waitForTopicLeaders(admin, [topic], 30_000);
      });
  } finally {
    await admin.disconnect();
  }
}

/** Deletes those of `topics` that exist (one unknown topic would fail the whole request). */
export async function deleteTopics(topics: readonly string[]): Promise<void> {
  const admin = c.kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const doomed = topics.filter((t) => existing.has(t));
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed });
  } finally {
    await admin.disconnect();
  }
}

export async function startRaw(o: SideOptions): Promise<Side> {
  await createTopic(o.topic);
  const pool = new pg.Pool({ connectionString: serviceConfig().postgresUrl, max: 10 });
  pool.on('error', () => undefined); // an idle client's lost connection must not crash the benchmark
  // The baseline writes the store's tables; creating them is idempotent (an advisory lock serialises it).
  await postgresStateStore({ pool }, { schema: o.schema, dedupCleanupIntervalMs: 0 }).init();
  const apply = rawPostgresApply(pool, o.schema, o.topic);
  const type = c.unique('raw');
  // kafkajs defaults but for idempotence: what one send per command looks like without a send queue.
  const producer = c.kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
  await producer.connect();
  let applied = 0;
  const consumer = await c.rawConsumer(
    o.topic,
    100, // the framework's default applyBatchSize
    async (records) => {
      await apply(type, records);
      const at = performance.now();
      for (const r of records) o.onApplied?.(r.payload.seq, at);
    },
    (k) => (applied += k),
  );
  return {
    name: 'raw',
    async send(d) {
      const headers = {
        [HEADERS.eventId]: randomUUID(),
        [HEADERS.eventType]: c.Deposited.type,
        [HEADERS.schemaVersion]: '1',
        [HEADERS.correlationId]: randomUUID(),
        [HEADERS.producedAt]: new Date().toISOString(),
        [HEADERS.service]: 'bench',
      };
      await producer.send({
        topic: o.topic,
        acks: -1,
        messages: [{ key: d.account, value: JSON.stringify(d), headers }],
      });
    },
    applied: () => applied,
    async stop() {
      await consumer.disconnect();
      await producer.disconnect();
      await pool.end();
    },
  };
}

export const startSide = (name: SideName, o: SideOptions): Promise<Side> =>
  name === 'framework' ? startFramework(o) : startRaw(o);

/** A deposit for command `seq`, over 1,000 accounts as in the apply benchmarks. */
export const deposit = (seq: number): c.Deposit => ({
  account: `acc-${seq % 1000}`,
  amount: 1 + (seq % 7),
  seq,
});

/** Sends one command and waits until something was applied: the consumer group has joined. */
export async function whenReady(side: Side, seq: number): Promise<void> {
  const before = side.applied();
  await side.send(deposit(seq));
  const deadline = Date.now() + 120_000;
  while (side.applied() === before) {
    if (Date.now() > deadline) throw new Error(`${side.name}: nothing applied within 2 minutes of start`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
