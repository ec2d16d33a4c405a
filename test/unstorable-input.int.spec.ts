import { randomUUID } from 'node:crypto';
import cassandra from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cassandraStateStore } from '../packages/cassandra/src/index';
import {
  createService,
  defineCommand,
  defineEvent,
  isLtyError,
  onOwnEvent,
  type StateStore,
} from '../packages/core/src/index';
import { mongoStateStore } from '../packages/mongo/src/index';
import { postgresStateStore } from '../packages/postgres/src/index';
import { serviceConfig } from '../scripts/services/service-config.mjs';

// Input no store or Kafka can keep is refused by send() whatever the store (a service may change stores), so it
// never reaches the topic to be dead-lettered there, and a read of such an id fails typed before the driver.
const cfg = serviceConfig();
const run = randomUUID().replaceAll('-', '').slice(0, 10);

const Tagged = defineEvent({
  type: 'tags.Tagged',
  schema: z.object({ item: z.string(), tag: z.string(), notes: z.array(z.string()) }),
  key: (e) => e.item,
});
const Tag = defineCommand({
  name: 'Tag',
  input: z.object({ item: z.string(), tag: z.string(), notes: z.array(z.string()).default([]) }),
  toEvents: (c) => Tagged.of(c),
});

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

const stores: [string, () => Promise<StateStore<unknown>>][] = [
  [
    'postgres',
    async () => {
      const schema = `lty_unstorable_${run}`;
      cleanups.push(async () => {
        const admin = new pg.Client({ connectionString: cfg.postgresUrl });
        await admin.connect();
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await admin.end();
      });
      return postgresStateStore({ connectionString: cfg.postgresUrl, max: 2 }, { schema });
    },
  ],
  [
    'cassandra',
    async () => {
      const keyspace = `lty_unstorable_${run}`;
      const connection = {
        contactPoints: cfg.cassandraContactPoints,
        localDataCenter: cfg.cassandraLocalDataCenter,
      };
      cleanups.push(async () => {
        const client = new cassandra.Client(connection);
        await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
        await client.shutdown();
      });
      return cassandraStateStore({ ...connection, keyspace });
    },
  ],
  [
    'ferretdb',
    async () => {
      const dbName = `lty_unstorable_${run}`;
      cleanups.push(async () => {
        const client = new MongoClient(cfg.mongoUrl);
        await client.db(dbName).dropDatabase();
        await client.close();
      });
      return mongoStateStore({ url: cfg.mongoUrl, dbName });
    },
  ],
];

describe.each(stores)('on real Kafka and %s', (label, makeStore) => {
  it('refuses such a command with its paths, produces nothing, and fails reads of such ids typed', async () => {
    const name = `it-unstorable-${label}-${run}`;
    const store = await makeStore();
    const service = createService({
      name,
      kafka: { brokers: cfg.kafkaBrokers, maxWaitTimeMs: 100 },
      store,
      commands: [Tag],
      handlers: [onOwnEvent(Tagged, (_s: unknown, e) => ({ tag: e.payload.tag, notes: e.payload.notes }))],
    });
    cleanups.push(async () => {
      const admin = new Kafka({ brokers: cfg.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [`${name}.events`, `${name}.events.dlq`] });
      await admin.disconnect();
    });
    cleanups.push(() => store.close());
    cleanups.push(() => service.stop());
    await service.start();

    const bad = [
      { input: { item: 'lone\ud800', tag: 't' }, path: ['item'] },
      { input: { item: 'i-1', tag: 'a\u0000b' }, path: ['tag'] },
      { input: { item: 'i-1', tag: 't', notes: ['ok', '\udc00'] }, path: ['notes', 1] },
    ];
    for (const { input, path } of bad) {
      const err = await service.send(Tag, input).catch((e: unknown) => e);
      expect(isLtyError(err, 'LTY_COMMAND_VALIDATION'), String(err)).toBe(true);
      expect((err as { issues: { path: unknown[] }[] }).issues.map((i) => i.path)).toEqual([path]);
    }
    const keyErr = await service
      .send(Tag, { item: 'i-1', tag: 't' }, { idempotencyKey: 'k\u0000' })
      .catch((e: unknown) => e);
    expect(isLtyError(keyErr, 'LTY_COMMAND_VALIDATION')).toBe(true);

    // A good command still goes through: and it is the only record on the topic.
    const receipt = await service.send(Tag, { item: 'i-1', tag: 'fine 🧨', notes: ['é'] });
    await service.waitForApplied(receipt.token, { timeoutMs: 30_000 });
    expect((await service.read({ type: name, id: 'i-1' }))?.state).toEqual({ tag: 'fine 🧨', notes: ['é'] });
    const admin = new Kafka({ brokers: cfg.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(`${name}.events`);
    const dlq = await admin.fetchTopicOffsets(`${name}.events.dlq`);
    await admin.disconnect();
    expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(1);
    expect(dlq.reduce((n, p) => n + Number(p.high), 0)).toBe(0);
    expect(service.stats().deadLettered).toBe(0);

    for (const id of ['lone\ud800', 'a\u0000b']) {
      const err = await service.read({ type: name, id }).catch((e: unknown) => e);
      expect(isLtyError(err, 'LTY_INVALID_ENTITY_REF'), String(err)).toBe(true);
    }
  }, 120_000);
});
