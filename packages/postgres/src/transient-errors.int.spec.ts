import { isLtyError } from '@listen-to-yourself/core';
import { type ApplyChange } from '@listen-to-yourself/core/store-kit';
import { createServer } from 'node:net';
import type { PoolClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStateStore } from './postgres-state-store';
import { freshSchema, postgresUrl } from './test-helpers';

const { schema, admin } = freshSchema('transient');
const appName = `lty-transient-${process.pid}`;
const url = new URL(postgresUrl);
url.searchParams.set('application_name', appName);
const store = postgresStateStore({ connectionString: url.toString(), max: 3 }, { schema });
let run = 0;

beforeAll(() => store.init());
afterAll(() => store.close());

const isTransient = (err: unknown) => isLtyError(err, 'LTY_TRANSIENT') && err.retriable;

function counter(
  id: string,
  update?: ApplyChange<number, PoolClient>['update'],
): ApplyChange<number, PoolClient> {
  return {
    entity: { type: 'transient', id },
    eventId: `${id}-e1`,
    position: { topic: 'transient', partition: 0, offset: '1' },
    update: update ?? ((current) => (current ?? 0) + 1),
  };
}

/** A local port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('transient errors', () => {
  it('a database that refuses connections gives TransientError with the cause', async () => {
    const down = postgresStateStore({
      connectionString: `postgres://postgres@127.0.0.1:${await closedPort()}/postgres`,
    });
    try {
      for (const call of [
        () => down.init(),
        () => down.apply(counter('x')),
        () => down.get({ type: 't', id: 'x' }),
      ]) {
        const err: unknown = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isTransient(err)).toBe(true);
        expect((err as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
      }
      await expect(down.applyBatch([counter('a'), counter('b')])).rejects.toSatisfy(isTransient);
      await expect(down.cleanupDedup()).rejects.toSatisfy(isTransient);
    } finally {
      await down.close();
    }
  });

  it('a backend terminated mid-transaction gives TransientError, writes nothing, and the retry applies', async () => {
    const id = `terminated-${run++}`;
    const killed = counter(id, async (current, tx) => {
      const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      return (current ?? 0) + 1;
    });
    const err: unknown = await store.apply(killed).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isTransient(err)).toBe(true);
    expect(await store.get({ type: 'transient', id })).toBeUndefined();
    // The broken client was destroyed, not returned to the pool: the retry gets a working one.
    expect(await store.apply(counter(id))).toMatchObject({ status: 'applied', version: 1 });
  });

  it('survives idle pooled connections being terminated (no crash, next apply works)', async () => {
    await Promise.all([1, 2, 3].map((n) => store.apply(counter(`warm-${run}-${n}`))));
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1`,
      [appName],
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await store.apply(counter(`after-${run++}`))).toMatchObject({ status: 'applied' });
  });

  it('an error thrown by update passes through unchanged, even one that looks transient', async () => {
    const looksTransient = Object.assign(new Error('handler saw a deadlock'), { code: '40P01' });
    await expect(
      store.apply(
        counter(`own-${run++}`, () => {
          throw looksTransient;
        }),
      ),
    ).rejects.toBe(looksTransient);
  });

  it('a deadlock raised by a statement of update on ctx.tx is transient, other database errors are not', async () => {
    const raising = (sqlstate: string) =>
      counter(`raise-${sqlstate}-${run++}`, async (current, tx) => {
        await tx.query(`DO $$ BEGIN RAISE EXCEPTION 'raised' USING ERRCODE = '${sqlstate}'; END $$`);
        return (current ?? 0) + 1;
      });
    const deadlock = await store.apply(raising('40P01')).catch((err: unknown) => err);
    expect(deadlock).toSatisfy(isTransient);
    expect((deadlock as Error).cause).toMatchObject({ code: '40P01' });
    const unique = await store.apply(raising('23505')).catch((err: unknown) => err);
    expect(isLtyError(unique)).toBe(false);
    expect(unique).toMatchObject({ code: '23505' });
  });
});
