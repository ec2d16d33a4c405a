import { MongoClient, type Collection, type Db } from 'mongodb';
import { isLtyError } from '@listen-to-yourself/core';
import { type ApplyChange, type EntityRef } from '@listen-to-yourself/core/store-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceConfig } from '../../../scripts/services/service-config.mjs';
import { isTransientMongoError, mongoStateStore, type MongoStateStoreOptions } from './index';

const url = serviceConfig().mongoUrl;
const dbName = `lty_adapter_${process.pid}_${Date.now()}`;
const client = new MongoClient(url, { serverSelectionTimeoutMS: 10_000 });

beforeAll(async () => {
  await client.connect();
  await mongoStateStore({ client, dbName }).init();
});
afterAll(async () => {
  try {
    await client.db(dbName).dropDatabase();
  } finally {
    await client.close();
  }
});

let seq = 0;
const newEntity = (): EntityRef => ({ type: 'adapter-test', id: `e${++seq}-${Date.now()}` });
const store = (options: MongoStateStoreOptions = {}) => mongoStateStore({ client, dbName }, options);

function increment(
  entity: EntityRef,
  eventId: string,
  offset: number,
  partition = 0,
): ApplyChange<{ n: number }, undefined> {
  return {
    entity,
    eventId,
    position: { topic: 't', partition, offset: String(offset) },
    update: (current) => ({ n: (current?.n ?? 0) + 1 }),
  };
}

/** The shared client, with `insertOne` replaced on every collection of the test database. */
function withInsert(insertOne: (col: Collection, doc: object) => Promise<unknown>): MongoClient {
  const wrapCollection = (col: Collection) =>
    new Proxy(col, {
      get: (target, prop, receiver) =>
        prop === 'insertOne'
          ? (doc: object) => insertOne(target, doc)
          : (Reflect.get(target, prop, receiver) as unknown),
    });
  const wrapDb = (db: Db) =>
    new Proxy(db, {
      get: (target, prop, receiver) =>
        prop === 'collection'
          ? (name: string) => wrapCollection(target.collection(name))
          : (Reflect.get(target, prop, receiver) as unknown),
    });
  return new Proxy(client, {
    get: (target, prop, receiver) =>
      prop === 'db'
        ? (name: string) => wrapDb(target.db(name))
        : (Reflect.get(target, prop, receiver) as unknown),
  });
}

const networkError = () => Object.assign(new Error('connection reset'), { name: 'MongoNetworkError' });

describe('mongo: concurrency on FerretDB, where a version-conditioned update loses updates', () => {
  it('8 workers x 50 increments on one entity: version 400, counter 400', { timeout: 300_000 }, async () => {
    const entity = newEntity();
    const s = store({ maxAttempts: 10_000 });
    const started = performance.now();
    let applied = 0;
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < 50; i++) {
          // Each worker reads its own partition, so no change is a duplicate by position of another.
          const result = await s.apply(increment(entity, `w${w}-${i}`, i, w));
          if (result.status === 'applied') applied++;
        }
      }),
    );
    const ms = performance.now() - started;
    console.log(`mongo contention: 400 applies on one entity by 8 workers in ${ms.toFixed(0)} ms`);
    expect(applied).toBe(400);
    expect(await s.get(entity)).toMatchObject({ version: 400, state: { n: 400 } });
  });
});

describe('mongo: pruning', () => {
  it('automatic pruning keeps few revisions per entity', async () => {
    const entity = newEntity();
    const s = store({ pruneEveryRevisions: 4, keepRevisions: 1 });
    for (let i = 0; i < 41; i++) await s.apply(increment(entity, `e${i}`, i));
    const docs = await client.db(dbName).collection('lty_entity_revisions').countDocuments({ i: entity.id });
    expect(docs).toBeLessThanOrEqual(4);
    expect(await s.get(entity)).toMatchObject({ version: 41, state: { n: 41 } });
    // Event ids survive pruning: they ride along in the latest revision.
    expect(await s.apply(increment(entity, 'e3', 100))).toMatchObject({
      status: 'duplicate',
      reason: 'event-id',
    });
  });

  it('pruneRevisions keeps the latest ones and returns what it deleted', async () => {
    const entity = newEntity();
    const s = store({ pruneEveryRevisions: 0 });
    for (let i = 0; i < 10; i++) await s.apply(increment(entity, `e${i}`, i));
    expect(await s.pruneRevisions(entity, 3)).toBe(7);
    expect(await s.pruneRevisions(entity, 3)).toBe(0);
    expect(await s.pruneRevisions(newEntity())).toBe(0);
    expect(await s.get(entity)).toMatchObject({ version: 10, state: { n: 10 } });
  });

  it('a slow writer whose revision was pruned meanwhile notices the gap and applies on the latest', async () => {
    const entity = newEntity();
    const fast = store({ pruneEveryRevisions: 0 });
    await fast.apply(increment(entity, 'e1', 1));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const slowChange: ApplyChange<{ n: number }, undefined> = {
      ...increment(entity, 'slow', 1, 1),
      // Read revision 1, then stall while others write 2..4 and prune 1..3; the first insert targets revision 2.
      update: async (current) => {
        if (++calls === 1) await gate;
        return { n: (current?.n ?? 0) + 1 };
      },
    };
    const slow = store({ pruneEveryRevisions: 0 }).apply(slowChange);
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (let i = 2; i <= 4; i++) await fast.apply(increment(entity, `e${i}`, i));
    expect(await fast.pruneRevisions(entity, 1)).toBe(3);
    release();
    expect(await slow).toEqual({ status: 'applied', version: 5, state: { n: 5 } });
    expect(calls).toBe(2);
    expect(await fast.get(entity)).toMatchObject({ version: 5, state: { n: 5 } });
  });
});

describe('mongo: unknown outcomes and errors', () => {
  it('an insert that landed but reported a network error is recognised as applied', async () => {
    const entity = newEntity();
    const faulty = withInsert(async (col, doc) => {
      await col.insertOne(doc);
      throw networkError();
    });
    const s = mongoStateStore({ client: faulty, dbName });
    expect(await s.apply(increment(entity, 'e1', 1))).toEqual({
      status: 'applied',
      version: 1,
      state: { n: 1 },
    });
    expect(await s.apply(increment(entity, 'e2', 2))).toEqual({
      status: 'applied',
      version: 2,
      state: { n: 2 },
    });
    expect(await store().get(entity)).toMatchObject({ version: 2, state: { n: 2 } });
  });

  it('an insert that failed with a network error is decided again', async () => {
    const entity = newEntity();
    let failures = 2;
    const faulty = withInsert(async (col, doc) => {
      if (failures-- > 0) throw networkError();
      return col.insertOne(doc);
    });
    const s = mongoStateStore({ client: faulty, dbName });
    expect(await s.apply(increment(entity, 'e1', 1))).toEqual({
      status: 'applied',
      version: 1,
      state: { n: 1 },
    });
  });

  it('an unreachable server is a TransientError', async () => {
    const s = mongoStateStore({
      url: 'mongodb://127.0.0.1:1/',
      dbName,
      clientOptions: { serverSelectionTimeoutMS: 300 },
    });
    const err = await s.get(newEntity()).catch((e: unknown) => e);
    await s.close();
    expect(isLtyError(err, 'LTY_TRANSIENT')).toBe(true);
  });

  it('a FerretDB backend outage (code 1, connection text) is transient, other code 1 errors are not', () => {
    const backendDown = {
      name: 'MongoServerError',
      code: 1,
      message: 'failed to connect to `host=127.0.0.1`: dial error',
    };
    expect(isTransientMongoError(backendDown)).toBe(true);
    expect(isTransientMongoError({ name: 'MongoServerError', code: 1, message: 'duplicate key value' })).toBe(
      false,
    );
  });
});

describe('mongo: measurements', () => {
  it('sequential and batched apply', async () => {
    const s = store();
    const entity = newEntity();
    const latencies: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await s.apply(increment(entity, `s${i}`, i));
      latencies.push(performance.now() - t);
    }
    latencies.sort((a, b) => a - b);
    const avg = latencies.reduce((a, b) => a + b, 0) / latencies.length;
    const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
    const entities = Array.from({ length: 100 }, newEntity);
    const changes = Array.from({ length: 1000 }, (_, i) => increment(entities[i % 100]!, `p${i}`, i));
    const t = performance.now();
    await s.applyBatch(changes);
    const perSecond = (1000 / (performance.now() - t)) * 1000;
    const docs = await client.db(dbName).collection('lty_entity_revisions').countDocuments();
    console.log(
      `mongo apply: sequential avg ${avg.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; applyBatch 1000 changes over ` +
        `100 entities: ${perSecond.toFixed(0)}/s; collection holds ${docs} revision documents`,
    );
  });
});
