import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serviceConfig } from '../../../../scripts/services/service-config.mjs';
import { defineCommand } from '../command/define-command';
import { CommandValidationError } from '../errors/errors';
import { defineEvent } from '../event/define-event';
import { HEADERS } from '../event/headers';
import { inMemoryStateStore, type InMemoryStateStore } from '../store/in-memory-state-store';
import { onOwnEvent } from '../subscriber/handlers';
import { createService, type Service } from './create-service';

const brokers = serviceConfig().kafkaBrokers;
const admin = () => new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();

const Deposited = defineEvent({
  type: 'test.Deposited',
  schema: z.object({ account: z.string(), amount: z.number().int().positive(), seq: z.number().int() }),
  key: (e) => e.account,
});
const Deposit = defineCommand({
  name: 'Deposit',
  input: z.object({
    account: z.string().min(1),
    amount: z.number().int().positive(),
    seq: z.number().int().default(0),
  }),
  toEvents: (c) => Deposited.of(c),
});

interface Account {
  balance: number;
  lastSeq: number;
  outOfOrder: number;
}

function makeService(name: string, store: InMemoryStateStore, extra: { sessionTimeoutMs?: number } = {}) {
  return createService({
    name,
    kafka: {
      brokers,
      maxWaitTimeMs: 100,
      ...(extra.sessionTimeoutMs
        ? { sessionTimeoutMs: extra.sessionTimeoutMs, heartbeatIntervalMs: 1000 }
        : {}),
    },
    store,
    commands: [Deposit],
    handlers: [
      onOwnEvent(
        Deposited,
        (s: Account | undefined, e) => ({
          balance: (s?.balance ?? 0) + e.payload.amount,
          lastSeq: e.payload.seq,
          outOfOrder: (s?.outOfOrder ?? 0) + (s && e.payload.seq !== s.lastSeq + 1 ? 1 : 0),
        }),
        { entity: 'account' },
      ),
    ],
  });
}

const running: Service[] = [];
afterEach(async () => {
  await Promise.allSettled(running.splice(0).map((s) => s.stop()));
});

async function started(name: string, store: InMemoryStateStore, extra?: { sessionTimeoutMs?: number }) {
  const s = makeService(name, store, extra);
  running.push(s);
  await s.start();
  return s;
}

async function endOffsets(topic: string) {
  const a = admin();
  await a.connect();
  try {
    // start() returns without waiting for the groups, so a topic it just created may still be electing leaders.
    for (let attempt = 1; ; attempt++) {
      try {
        return (await a.fetchTopicOffsets(topic)).map((p) => `${p.partition}:${p.high}`).sort();
      } catch (err) {
        if (attempt >= 20 || (err as { retriable?: boolean }).retriable === false) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    await a.disconnect();
  }
}

describe('service on a real broker', () => {
  it('resolves send() only with positions where the records really are', async () => {
    const store = inMemoryStateStore();
    const svc = await started(`t-${randomUUID().slice(0, 8)}`, store);
    const receipt = await svc.send(Deposit, { account: 'a1', amount: 5 }, { idempotencyKey: 'k1' });
    expect(receipt.positions).toHaveLength(1);
    const pos = receipt.positions[0]!;

    // An independent read_committed consumer finds our record at exactly the reported position.
    const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [svc.topic], fromBeginning: true });
    const found = await new Promise<{ offset: string; id: string | undefined }>((resolve) => {
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          if (partition === pos.partition && message.offset === pos.offset) {
            resolve({ offset: message.offset, id: message.headers?.[HEADERS.eventId]?.toString() });
          }
        },
      });
    });
    await consumer.disconnect();
    expect(found.id).toBe(receipt.eventIds[0]);

    await svc.waitForApplied(receipt.token, { timeoutMs: 10_000 });
    expect((await svc.read<Account>({ type: 'account', id: 'a1' }))?.state.balance).toBe(5);
  });

  it('produces nothing for an invalid command', async () => {
    const store = inMemoryStateStore();
    const svc = await started(`t-${randomUUID().slice(0, 8)}`, store);
    const before = await endOffsets(svc.topic);
    const err = await svc.send(Deposit, { account: '', amount: -1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandValidationError);
    expect((err as CommandValidationError).issues.map((i) => i.path.join('.')).sort()).toEqual([
      'account',
      'amount',
    ]);
    expect(await endOffsets(svc.topic)).toEqual(before);
  });

  it('changes the store once when a command is sent twice with the same idempotency key', async () => {
    const store = inMemoryStateStore();
    const svc = await started(`t-${randomUUID().slice(0, 8)}`, store);
    const r1 = await svc.send(Deposit, { account: 'a2', amount: 7 }, { idempotencyKey: 'same' });
    const r2 = await svc.send(Deposit, { account: 'a2', amount: 7 }, { idempotencyKey: 'same' });
    expect(r2.eventIds).toEqual(r1.eventIds);
    expect(r2.positions[0]!.offset).not.toBe(r1.positions[0]!.offset);
    await svc.waitForApplied(r2.token, { timeoutMs: 10_000 });
    const row = await svc.read<Account>({ type: 'account', id: 'a2' });
    expect(row?.state.balance).toBe(7);
    expect(row?.version).toBe(1);
    expect(svc.stats().duplicates).toBe(1);
  });

  it('redelivers to another member after a crash between apply and commit, and applies once', async () => {
    const store = inMemoryStateStore();
    const name = `t-${randomUUID().slice(0, 8)}`;
    // The first instance's store write succeeds, then its apply never returns: the commit never happens and
    // the member stops heartbeating, as a crashed process would.
    let hang = true;
    const hangingStore: InMemoryStateStore = {
      ...store,
      async apply(change) {
        const result = await store.apply(change);
        if (hang) await new Promise(() => undefined);
        return result;
      },
    };
    const first = makeService(name, hangingStore, { sessionTimeoutMs: 6000 });
    await first.start();
    const receipt = await first.send(Deposit, { account: 'a3', amount: 11 });
    await expect
      .poll(async () => (await store.get<Account>({ type: 'account', id: 'a3' }))?.version, {
        timeout: 15_000,
      })
      .toBe(1);
    hang = false;

    const second = await started(name, store, { sessionTimeoutMs: 6000 });
    await expect.poll(() => second.stats().duplicates, { timeout: 45_000, interval: 200 }).toBe(1);
    await second.waitForApplied(receipt.token, { timeoutMs: 10_000 });
    const row = await store.get<Account>({ type: 'account', id: 'a3' });
    expect(row?.state.balance).toBe(11);
    expect(row?.version).toBe(1);
    void first.stop();
  }, 90_000);

  it('shares the partitions among 3 instances and applies each event once, in per-key order', async () => {
    const store = inMemoryStateStore();
    const name = `t-${randomUUID().slice(0, 8)}`;
    const instances = [await started(name, store), await started(name, store), await started(name, store)];
    // Wait until the group settled, each instance running with its share of the 8 partitions, before loading it:
    // start() returns before the groups join.
    await expect
      .poll(
        async () => {
          const owned = await Promise.all(
            instances.map(async (s) => (await s.health()).groups[0]?.partitions ?? []),
          );
          const all = owned.flat();
          return owned.every((p) => p.length > 0) && all.length === 8 && new Set(all).size === 8;
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(true);

    const keys = 100;
    const perKey = 10;
    const tokens: string[] = [];
    // Each key's deposits are sent one after another (seq 1..10); keys run concurrently.
    await Promise.all(
      Array.from({ length: keys }, async (_, k) => {
        for (let seq = 1; seq <= perKey; seq++) {
          const r = await instances[k % 3]!.send(Deposit, { account: `acc-${k}`, amount: 1, seq });
          tokens.push(r.token);
        }
      }),
    );
    for (const t of tokens) await instances[0]!.waitForApplied(t, { timeoutMs: 30_000 });

    const rows = store.entities<Account>('account');
    expect(rows.size).toBe(keys);
    for (const [, row] of rows) {
      expect(row.version).toBe(perKey);
      expect(row.state.balance).toBe(perKey);
      expect(row.state.outOfOrder).toBe(0);
    }
    const applied = instances.map((s) => s.stats().applied);
    expect(applied.reduce((x, y) => x + y, 0)).toBe(keys * perKey);
    expect(applied.every((n) => n > 0)).toBe(true);
  }, 120_000);
});
