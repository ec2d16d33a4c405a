// One system under load for the relay benchmark: a service whose reducer of own events announces each deposit
// (`ctx.emit`, relayed through the entity's outbox) or does not, on Postgres or Cassandra. It records, per
// command, when the store's write committed; with announcements, when the broker appended the announcement (its
// topic keeps LogAppendTime, so a record's timestamp is the broker's clock, the same machine's) and when an
// independent consumer saw it.
import cassandra from 'cassandra-driver';
import type { Consumer } from 'kafkajs';
import pg from 'pg';
import { z } from 'zod';
import { serviceConfig } from '../../scripts/services/service-config.mjs';
import { createService, defineEvent, onOwnEvent } from '../../packages/core/src/index';
import type { StateStore } from '../../packages/core/src/store/state-store';
import { cassandraStateStore } from '../../packages/cassandra/src/index';
import { postgresStateStore } from '../../packages/postgres/src/index';
import * as c from '../apply/common';
import { Deposit, createTopic, deleteTopics, type Side } from '../e2e/sides';

export type StoreName = 'postgres' | 'cassandra';

/** Milliseconds since the epoch with performance.now()'s resolution, comparable with the broker's timestamps. */
export const epochMs = () => performance.timeOrigin + performance.now();

export interface RelaySide extends Side {
  readonly announces: boolean;
  /** Per command seq: store commit, broker append and consumer sight of its announcement (epoch ms). */
  readonly committedAt: Map<number, number>;
  readonly appendedAt: Map<number, number>;
  readonly seenAt: Map<number, number>;
  stats(): { relays: number; relayed: number; relayMsTotal: number; relayProduceMsTotal: number };
}

const Announced = (topic: string) =>
  defineEvent({
    type: 'bench.DepositAnnounced',
    schema: z.object({ account: z.string(), seq: z.number().int(), balance: z.number().int() }),
    key: (e) => e.account,
    topic,
  });

export async function startRelaySide(o: {
  store: StoreName;
  announces: boolean;
  onApplied: (seq: number, at: number) => void;
}): Promise<RelaySide> {
  const name = c.unique(o.announces ? 'relay_on' : 'relay_off');
  const announcements = `${name}.announcements`;
  const { store, drop } = openStore(o.store, name);
  const committedAt = new Map<number, number>();
  const appendedAt = new Map<number, number>();
  const seenAt = new Map<number, number>();
  const seqOf = new Map<string, number>();
  let reader: Consumer | undefined;
  if (o.announces) {
    await createTopic(announcements, { 'message.timestamp.type': 'LogAppendTime' });
    reader = await readAnnouncements(announcements, appendedAt, seenAt);
  }
  const event = Announced(announcements);
  const service = createService({
    name,
    kafka: { brokers: serviceConfig().kafkaBrokers },
    store: tracking(store, seqOf, (seq) => {
      const at = performance.now();
      committedAt.set(seq, performance.timeOrigin + at);
      o.onApplied(seq, at);
    }),
    topic: { partitions: c.PARTITIONS },
    commands: [Deposit],
    handlers: [
      onOwnEvent(c.Deposited, (s: c.Account | undefined, e, ctx) => {
        seqOf.set(e.meta.eventId, e.payload.seq);
        const next = c.reduce(s, e.payload);
        if (o.announces) ctx.emit(event.of({ ...e.payload, balance: next.balance }));
        return next;
      }),
    ],
  });
  await service.start();
  return {
    name: 'framework',
    announces: o.announces,
    committedAt,
    appendedAt,
    seenAt,
    send: async (d) => void (await service.send(Deposit, d)),
    applied: () => service.stats().applied,
    stats: () => service.stats(),
    async stop() {
      await service.stop();
      await reader?.disconnect();
      await store.close();
      await drop();
      await deleteTopics([`${name}.events`, `${name}.events.dlq`, announcements]);
    },
  };
}

function tracking<Tx>(inner: StateStore<Tx>, seqOf: Map<string, number>, mark: (seq: number) => void) {
  const done = (ids: readonly string[]) => {
    for (const id of ids) {
      const seq = seqOf.get(id);
      if (seq === undefined) continue;
      seqOf.delete(id);
      mark(seq);
    }
  };
  const wrapped: StateStore<Tx> = {
    ...inner,
    async apply(change) {
      const result = await inner.apply(change);
      done([change.eventId]);
      return result;
    },
    async applyBatch(changes) {
      const results = await inner.applyBatch(changes);
      done(changes.map((ch) => ch.eventId));
      return results;
    },
  };
  return wrapped;
}

async function readAnnouncements(
  topic: string,
  appendedAt: Map<number, number>,
  seenAt: Map<number, number>,
) {
  // A short fetch wait: the consumer's own cycle is not what is measured, only when a record became readable.
  const consumer = c.kafka.consumer({ groupId: `${topic}.reader`, maxWaitTimeInMs: 10 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: c.PARTITIONS,
    eachBatch: async ({ batch }) => {
      const at = epochMs();
      for (const m of batch.messages) {
        const { seq } = JSON.parse(String(m.value)) as { seq: number };
        if (!appendedAt.has(seq)) appendedAt.set(seq, Number(m.timestamp));
        if (!seenAt.has(seq)) seenAt.set(seq, at);
      }
    },
  });
  return consumer;
}

function openStore(kind: StoreName, name: string): { store: StateStore; drop: () => Promise<void> } {
  const cfg = serviceConfig();
  if (kind === 'postgres') {
    const store = postgresStateStore({ connectionString: cfg.postgresUrl }, { schema: name });
    const drop = async () => {
      const pool = new pg.Pool({ connectionString: cfg.postgresUrl, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      await pool.end();
    };
    return { store, drop };
  }
  const client = new cassandra.Client({
    contactPoints: cfg.cassandraContactPoints,
    localDataCenter: cfg.cassandraLocalDataCenter,
    socketOptions: { readTimeout: 60_000 },
  });
  const store = cassandraStateStore({ client }, { keyspace: name });
  const drop = async () => {
    await client.execute(`DROP KEYSPACE IF EXISTS ${name}`);
    await client.shutdown();
  };
  return { store, drop };
}
