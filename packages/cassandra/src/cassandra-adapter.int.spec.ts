import type cassandra from 'cassandra-driver';
import type { ArrayOrObject, QueryOptions } from 'cassandra-driver';
import { isLtyError } from '@listen-to-yourself/core';
import { type ApplyChange } from '@listen-to-yourself/core/store-kit';
import { describe, expect, it } from 'vitest';
import { cassandraStateStore, type CqlClient } from './index';
import { freshKeyspace } from './test-helpers';

const { keyspace, client } = freshKeyspace('cas');

/** What the server answers when a Paxos round times out: its outcome is unknown. */
function casWriteTimeout(): Error {
  return Object.assign(new Error('Server timeout during write query at consistency SERIAL'), {
    name: 'ResponseError',
    code: 0x1100,
    writeType: 'CAS',
  });
}

type BatchQueries = { query: string; params?: ArrayOrObject }[];

/** A client over the shared one whose `batch` is replaced (the promise form is the only one the store calls). */
function withBatch(
  batch: (queries: BatchQueries, options?: QueryOptions) => Promise<cassandra.types.ResultSet>,
) {
  const wrapped: CqlClient = {
    execute: (...args: Parameters<CqlClient['execute']>) => client.execute(...args),
    shutdown: () => Promise.resolve(),
    batch: batch as CqlClient['batch'],
  };
  return wrapped;
}

/** The shared client, with the next conditional batches failing before or after they ran. */
function faultyClient(faults: ('before' | 'after')[]): CqlClient {
  return withBatch(async (queries, options) => {
    const fault = faults.shift();
    if (fault === 'before') throw casWriteTimeout();
    const rs = await client.batch(queries, options);
    if (fault === 'after') throw casWriteTimeout();
    return rs;
  });
}

let seq = 0;
function counter(entityId: string, eventId: string, offset: number): ApplyChange<{ n: number }, undefined> {
  return {
    entity: { type: 'cas-test', id: entityId },
    eventId,
    position: { topic: 't', partition: 0, offset: String(offset) },
    update: (current) => ({ n: (current?.n ?? 0) + 1 }),
  };
}

describe('cassandra: conditional writes with an unknown outcome', () => {
  it('a batch that was applied but timed out is recognised as applied by its marker', async () => {
    const id = `e${++seq}`;
    const store = cassandraStateStore({ client: faultyClient(['after', 'after']) }, { keyspace });
    expect(await store.apply(counter(id, 'a', 1))).toEqual({
      status: 'applied',
      version: 1,
      state: { n: 1 },
    });
    expect(await store.apply(counter(id, 'b', 2))).toEqual({
      status: 'applied',
      version: 2,
      state: { n: 2 },
    });
    expect(await store.get(counter(id, 'x', 0).entity)).toMatchObject({ version: 2, state: { n: 2 } });
  });

  it('a batch that timed out without being applied is decided again and applied once', async () => {
    const id = `e${++seq}`;
    const store = cassandraStateStore({ client: faultyClient(['before', 'before', 'after']) }, { keyspace });
    expect(await store.apply(counter(id, 'a', 1))).toEqual({
      status: 'applied',
      version: 1,
      state: { n: 1 },
    });
    expect(await store.get(counter(id, 'x', 0).entity)).toMatchObject({ version: 1, state: { n: 1 } });
  });

  it("a racer's marker is not taken for our own unknown write", async () => {
    const id = `e${++seq}`;
    const racer = cassandraStateStore({ client }, { keyspace });
    // Our write times out before running; meanwhile another consumer applies the same event.
    const slow = withBatch(async () => {
      await racer.apply(counter(id, 'a', 1));
      throw casWriteTimeout();
    });
    const store = cassandraStateStore({ client: slow }, { keyspace });
    expect(await store.apply(counter(id, 'a', 1))).toEqual({
      status: 'duplicate',
      version: 1,
      reason: 'position',
    });
  });
});

describe('cassandra: errors', () => {
  it('an unreachable cluster is a TransientError', async () => {
    const store = cassandraStateStore(
      { contactPoints: ['127.0.0.1:1'], localDataCenter: 'datacenter1' },
      { keyspace },
    );
    const err = await store.get({ type: 'x', id: 'y' }).catch((e: unknown) => e);
    await store.close();
    expect(isLtyError(err, 'LTY_TRANSIENT')).toBe(true);
    expect((err as { retriable: boolean }).retriable).toBe(true);
  });

  it('update errors pass through unchanged', async () => {
    const store = cassandraStateStore({ client }, { keyspace });
    const boom = new Error('boom');
    const change = { ...counter(`e${++seq}`, 'a', 1), update: () => Promise.reject(boom) };
    await expect(store.apply(change)).rejects.toBe(boom);
  });
});

describe('cassandra: contention', () => {
  it('8 workers x 50 increments on one entity: version 400, counter 400', { timeout: 180_000 }, async () => {
    const id = `e${++seq}`;
    const store = cassandraStateStore({ client }, { keyspace, maxCasAttempts: 1000 });
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < 50; i++) {
          const change = counter(id, `w${w}-${i}`, i);
          const result = await store.apply({ ...change, position: { ...change.position, partition: w } });
          expect(result.status).toBe('applied');
        }
      }),
    );
    const ms = performance.now() - started;
    console.log(`cassandra contention: 400 applies on one entity by 8 workers in ${ms.toFixed(0)} ms`);
    expect(await store.get(counter(id, 'x', 0).entity)).toMatchObject({ version: 400, state: { n: 400 } });
  });

  it('measures sequential and parallel apply latency', async () => {
    const store = cassandraStateStore({ client }, { keyspace });
    const latencies: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await store.apply(counter(`seq${seq}`, `s${i}`, i));
      latencies.push(performance.now() - t);
    }
    latencies.sort((a, b) => a - b);
    const avg = latencies.reduce((a, b) => a + b, 0) / latencies.length;
    const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
    const changes = Array.from({ length: 1000 }, (_, i) => counter(`par${seq}-${i % 100}`, `p${i}`, i));
    const t = performance.now();
    await store.applyBatch(changes);
    const perSecond = (1000 / (performance.now() - t)) * 1000;
    console.log(
      `cassandra apply: sequential avg ${avg.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; ` +
        `applyBatch 1000 changes over 100 entities: ${perSecond.toFixed(0)}/s`,
    );
  });
});
