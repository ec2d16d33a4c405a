import { MongoClient } from 'mongodb';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { run } from '../../packages/cli/src/run';
import { deadLetters, subscriptionTopics, type DeadLetter } from '../../packages/core/src/index';
import { mongoStateStore } from '../../packages/mongo/src/index';
import { postgresStateStore } from '../../packages/postgres/src/index';
import { runNames, shared, sleep } from '../reliability/helpers/env';
import { deleteRunTopics, endOffsets, waitCaughtUp } from '../reliability/helpers/kafka-read';
import { startChild, type ServiceChild } from './helpers/child';
import type { Seqs } from './helpers/contracts';

// Two services in two processes on the real broker, each with its own store: a publisher on Postgres and a
// subscriber on FerretDB that turns each of the publisher's events into a follow-up event of its own and applies
// that to its store. SYSTEM_FULL=1 runs the large size; SYSTEM_DEBUG=1 keeps the run's topics and database and
// writes each process's output to /tmp/sys-child-<n>.log.
const size =
  process.env.SYSTEM_FULL === '1'
    ? { first: 2000, second: 10_000, keys: 50 }
    : { first: 150, second: 450, keys: 12 };
const POISON_SEQ = 37;
const brokers = shared.kafkaBrokers;
const { id, schema } = runNames('system');
const publisher = `sys-pub-${id}`;
const subscriber = `sys-sub-${id}`;
const pubTopic = `${publisher}.events`;
const group = `${subscriber}.placed`;
const owned = subscriptionTopics(subscriber, group);
const dbName = `sys_sub_${id}`;

const children: ServiceChild[] = [];
const pool = new pg.Pool({ connectionString: shared.postgresUrl, max: 2 });
const mongo = new MongoClient(shared.mongoUrl, { serverSelectionTimeoutMS: 10_000 });
const pubStore = postgresStateStore({ pool }, { schema });
const subStore = mongoStateStore({ client: mongo, dbName });
const dlq = deadLetters({
  kafka: { brokers },
  topic: pubTopic,
  groupId: group,
  dlqTopic: owned.dlqTopic,
  redriveTopic: owned.redriveTopic,
});

function child(role: 'publisher' | 'subscriber', extra: Record<string, string> = {}): ServiceChild {
  const c = startChild({
    SYSTEM_ROLE: role,
    SYSTEM_PUBLISHER: publisher,
    SYSTEM_SUBSCRIBER: subscriber,
    SYSTEM_SCHEMA: schema,
    SYSTEM_DB: dbName,
    KAFKA_BROKERS: brokers.join(','),
    POSTGRES_URL: shared.postgresUrl,
    MONGO_URL: shared.mongoUrl,
    ...extra,
  });
  children.push(c);
  return c;
}

const total = (offsets: Map<number, bigint>) => [...offsets.values()].reduce((a, b) => a + b, 0n);
const keys = Array.from({ length: size.keys }, (_, k) => `k${k}`);
const states = async (store: typeof pubStore | typeof subStore, type: string) =>
  Promise.all(keys.map(async (k) => (await store.get<Seqs>({ type, id: k }))?.state.seqs ?? []));

/** What `lty dlq list --subscriber ... --json` prints, parsed. */
async function ltyList(): Promise<DeadLetter[]> {
  let out = '';
  const argv = ['dlq', 'list', '--json', '--brokers', brokers.join(','), '--subscriber', subscriber];
  const code = await run([...argv, '--topic', pubTopic, '--group', group], {
    stdout: (t) => void (out += t),
    stderr: (t) => void (out += t),
    env: {},
  });
  expect(code, out).toBe(0);
  return JSON.parse(out) as DeadLetter[];
}

afterAll(async () => {
  if (process.env.SYSTEM_DEBUG) {
    const { writeFileSync } = await import('node:fs');
    children.forEach((c, i) =>
      writeFileSync(`/tmp/sys-child-${i}.log`, [...c.stdout, ...c.stderr].join('\n')),
    );
  }
  await Promise.allSettled(children.map((c) => c.kill('SIGKILL')));
  await dlq.close().catch(() => undefined);
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
  await pool.end();
  await mongo
    .db(dbName)
    .dropDatabase()
    .catch(() => undefined);
  await mongo.close();
  if (process.env.SYSTEM_DEBUG) return;
  await deleteRunTopics(brokers, publisher).catch(() => undefined);
  await deleteRunTopics(brokers, subscriber).catch(() => undefined);
}, 60_000);

it("two services in two processes: follow-ups in the subscriber's own topic, own dead letters redriven, kill -9 under load, every event handled once in effect", async () => {
  // 1. The subscriber starts first: it creates its own topics only, and waits for the publisher's.
  let sub = child('subscriber', { SYSTEM_POISON: '1' });
  await sub.waitFor('ready', 60_000);
  await expect
    .poll(() => sub.stderr.some((l) => l.includes('waiting for a topic')), { timeout: 10_000 })
    .toBe(true);
  await sleep(2500);
  expect(sub.stderr.filter((l) => l.includes('waiting for a topic'))).toHaveLength(1);
  expect((await endOffsets(brokers, pubTopic)).size).toBe(0);
  expect((await endOffsets(brokers, owned.dlqTopic)).size).toBe(2);
  expect((await endOffsets(brokers, owned.redriveTopic)).size).toBe(2);

  // 2. The publisher creates its topic (3 partitions, its decision); the subscriber joins it.
  const pub = child('publisher');
  await pub.waitFor('ready', 60_000);
  expect((await endOffsets(brokers, pubTopic)).size).toBe(3);
  pub.write(`send 1 ${size.first} ${size.keys} ${POISON_SEQ}`);
  await pub.waitFor(`sent ${size.first}`, 60_000);
  expect(
    await waitCaughtUp(brokers, group, pubTopic, await endOffsets(brokers, pubTopic), 60_000),
  ).toBeGreaterThanOrEqual(0);

  // 3. The poison event and its key's later events are in the subscriber's own DLQ, and lty shows them.
  const poisonKey = `k${POISON_SEQ % size.keys}`;
  const listed = await ltyList();
  expect(listed[0]).toMatchObject({ key: poisonKey, reason: 'non-retryable' });
  expect(listed.length).toBeGreaterThan(1);
  expect(listed.every((d) => d.key === poisonKey)).toBe(true);
  expect(listed.slice(1).every((d) => d.reason === 'parked')).toBe(true);
  expect(total(await endOffsets(brokers, `${pubTopic}.dlq`))).toBe(0n);

  // 4. More load; the subscriber is killed with SIGKILL in the middle and comes back without the poison.
  pub.write(`send ${size.first + 1} ${size.first + size.second} ${size.keys} -1`);
  await sleep(1500 + Math.random() * 1500);
  await sub.kill('SIGKILL');
  sub = child('subscriber');
  await sub.waitFor('ready', 60_000);
  await pub.waitFor(`sent ${size.first + size.second}`, 120_000);

  // 5. Once the subscriber has caught up, a redrive through its own redrive topic (never the publisher's). A run
  // while the key still receives events is refused and needs another run (docs/system-of-services.md).
  expect(
    await waitCaughtUp(brokers, group, pubTopic, await endOffsets(brokers, pubTopic), 90_000),
  ).toBeGreaterThanOrEqual(0);
  const redrive = await dlq.redrive({ all: true });
  expect(redrive.keys).toEqual([poisonKey]);
  const sent = size.first + size.second;
  const pubSeqs = await states(pubStore, publisher);
  expect(pubSeqs.flat().length).toBe(sent);
  const settled = async () => JSON.stringify(await states(subStore, subscriber)) === JSON.stringify(pubSeqs);
  for (let t = Date.now(); !(await settled()) && Date.now() - t < 90_000;) await sleep(500);
  expect(await states(subStore, subscriber)).toEqual(pubSeqs);
  expect(await dlq.list()).toEqual([]);

  // Nothing but the publisher's own events in its topic, nothing in its DLQ; the follow-ups are in the
  // subscriber's topic (a redelivery after the kill may have written some twice, with the same ids).
  expect(total(await endOffsets(brokers, pubTopic))).toBe(BigInt(sent));
  expect(total(await endOffsets(brokers, `${pubTopic}.dlq`))).toBe(0n);
  expect(total(await endOffsets(brokers, `${subscriber}.events`))).toBeGreaterThanOrEqual(BigInt(sent));
}, 240_000);
