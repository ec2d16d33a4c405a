import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serviceConfig } from '../../../../scripts/services/service-config.mjs';
import { defineCommand } from '../command/define-command';
import { NonRetryableError } from '../errors/errors';
import { defineEvent } from '../event/define-event';
import { HEADERS } from '../event/headers';
import { createService, type Service } from '../service/create-service';
import { inMemoryStateStore, type InMemoryStateStore } from '../store/in-memory-state-store';
import { onOwnEvent } from '../subscriber/handlers';
import { kafkaTransport } from '../transport/kafka-transport';
import type { Transport } from '../transport/transport';
import { DLQ_HEADERS } from './dead-letter';
import { deadLetters, type DeadLetters } from './dead-letters';
import { readTopic } from './read-topic';

const brokers = serviceConfig().kafkaBrokers;

const Posted = defineEvent({
  type: 'it.Posted',
  schema: z.object({ account: z.string(), seq: z.number().int() }),
  key: (e) => e.account,
});
const Post = defineCommand({ name: 'Post', input: Posted.schema, toEvents: (c) => Posted.of(c) });

interface Ledger {
  seqs: number[];
  attempts: number[];
}

/** How the handler treats a seq: 'ok', fail `n` times then succeed, or 'poison' (NonRetryableError). */
type Behaviour = Map<number, number | 'poison'>;

const open: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.stop().catch(() => undefined);
});

function ledger(opts: {
  name: string;
  store: InMemoryStateStore;
  behaviour: Behaviour;
  transport?: Transport;
  sessionTimeoutMs?: number;
}): Service {
  const failures = new Map<number, number>();
  const kafka = {
    brokers,
    maxWaitTimeMs: 100,
    ...(opts.sessionTimeoutMs ? { sessionTimeoutMs: opts.sessionTimeoutMs, heartbeatIntervalMs: 1000 } : {}),
  };
  const service = createService({
    name: opts.name,
    ...(opts.transport ? { transport: opts.transport } : { kafka }),
    store: opts.store,
    commands: [Post],
    topic: { partitions: 4 },
    handlers: [
      onOwnEvent(
        Posted,
        (s: Ledger | undefined, e) => {
          const b = opts.behaviour.get(e.payload.seq);
          if (b === 'poison') throw new NonRetryableError(`seq ${e.payload.seq} is poison`);
          const failed = failures.get(e.payload.seq) ?? 0;
          if (b !== undefined && failed < b) {
            failures.set(e.payload.seq, failed + 1);
            throw new Error(`seq ${e.payload.seq} fails (${failed + 1})`);
          }
          return {
            seqs: [...(s?.seqs ?? []), e.payload.seq],
            attempts: [...(s?.attempts ?? []), e.meta.attempt],
          };
        },
        { retry: { maxAttempts: 3, backoff: 50 } },
      ),
    ],
  });
  open.push(service);
  return service;
}

function dlqOf(name: string): DeadLetters {
  const dlq = deadLetters({ kafka: { brokers }, topic: `${name}.events`, groupId: `${name}.self` });
  open.push({ stop: () => dlq.close() });
  return dlq;
}

function uniqueName() {
  return `it-dlq-${randomUUID().slice(0, 8)}`;
}

describe('failure handling on a real broker', () => {
  it('applies a handler that fails twice then succeeds once, with 2 retries recorded', async () => {
    const name = uniqueName();
    const store = inMemoryStateStore();
    const svc = ledger({ name, store, behaviour: new Map([[1, 2]]) });
    await svc.start();
    const r = await svc.send(Post, { account: 'a', seq: 1 });
    await svc.waitForApplied(r.token, { timeoutMs: 20_000 });
    const row = await store.get<Ledger>({ type: name, id: 'a' });
    expect(row?.state).toEqual({ seqs: [1], attempts: [3] });
    expect(row?.version).toBe(1);
    expect(svc.stats()).toMatchObject({ applied: 1, retries: 2, deadLettered: 0 });
  });

  it('dead-letters a poison record with every header while the rest flows on', async () => {
    const name = uniqueName();
    const store = inMemoryStateStore();
    const svc = ledger({ name, store, behaviour: new Map([[1, 'poison']]) });
    await svc.start();
    const bad = await svc.send(Post, { account: 'bad', seq: 1 });
    const good = await Promise.all(
      ['g1', 'g2', 'g3', 'g4'].map((a) => svc.send(Post, { account: a, seq: 2 })),
    );
    for (const g of good) await svc.waitForApplied(g.token, { timeoutMs: 20_000 });
    await expect.poll(() => svc.stats().deadLettered, { timeout: 20_000 }).toBe(1);

    const [dead, ...more] = await dlqOf(name).list();
    expect(more).toEqual([]);
    const at = bad.positions[0]!;
    expect(dead).toMatchObject({
      id: bad.eventIds[0],
      key: 'bad',
      eventType: Posted.type,
      reason: 'non-retryable',
      original: { topic: `${name}.events`, partition: at.partition, offset: at.offset },
      copies: 1,
      attempts: 1,
      error: { class: 'NonRetryableError', message: 'seq 1 is poison' },
    });
    expect(dead!.error.stack).toMatch(/NonRetryableError: seq 1 is poison/);
    expect(dead!.original.timestamp).toMatch(/^\d+$/);
    expect(dead!.firstFailureAt).toMatch(/^\d{4}-/);
    expect(dead!.lastFailureAt).toMatch(/^\d{4}-/);
    expect(dead!.headers[HEADERS.eventId]).toBe(bad.eventIds[0]);
    expect(JSON.parse(dead!.value.toString())).toEqual({ account: 'bad', seq: 1 });
    // Every header on the raw DLQ record, with Spring's names.
    const raw = await rawDlqHeaders(`${name}.events.dlq`);
    for (const h of Object.values(DLQ_HEADERS).filter((h) => h !== DLQ_HEADERS.control)) {
      expect(raw[0], h).toHaveProperty([h]);
    }
  });

  it("parks a key's later events and applies them in order after redrive", async () => {
    const name = uniqueName();
    const store = inMemoryStateStore();
    const behaviour: Behaviour = new Map([[1, 'poison']]);
    const svc = ledger({ name, store, behaviour });
    await svc.start();
    for (const seq of [1, 2, 3]) await svc.send(Post, { account: 'k', seq });
    const other = await svc.send(Post, { account: 'other', seq: 9 });
    await svc.waitForApplied(other.token, { timeoutMs: 20_000 });
    await expect.poll(() => svc.stats().parked, { timeout: 20_000 }).toBe(2);
    expect(await store.get({ type: name, id: 'k' })).toBeUndefined();

    const dlq = dlqOf(name);
    expect((await dlq.list()).map((d) => d.reason)).toEqual(['non-retryable', 'parked', 'parked']);
    // The group commits in the background (`commitIntervalMs`), so its lag reaches 0 a moment after the applies.
    await expect.poll(async () => (await dlq.status()).lag, { timeout: 10_000 }).toBe(0);
    expect(await dlq.status()).toMatchObject({ lag: 0, deadLetters: 3, parkedKeys: 1 });

    behaviour.clear();
    const result = await dlq.redrive({ key: 'k' });
    expect(result.redriven).toHaveLength(3);
    await expect
      .poll(async () => (await store.get<Ledger>({ type: name, id: 'k' }))?.state.seqs, { timeout: 20_000 })
      .toEqual([1, 2, 3]);
    const later = await svc.send(Post, { account: 'k', seq: 4 });
    await svc.waitForApplied(later.token, { timeoutMs: 20_000 });
    expect((await store.get<Ledger>({ type: name, id: 'k' }))?.state.seqs).toEqual([1, 2, 3, 4]);
    expect(await dlq.list()).toEqual([]);
  });

  it('leaves exactly one logical dead letter after a crash between DLQ produce and commit', async () => {
    const name = uniqueName();
    const store = inMemoryStateStore();
    const behaviour: Behaviour = new Map([[1, 'poison']]);
    // The first instance's DLQ produce is acknowledged, then the instance hangs before it commits, as a crashed
    // process would; its group membership lapses after the session timeout.
    const inner = kafkaTransport({
      brokers,
      clientId: name,
      maxWaitTimeMs: 100,
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 1000,
    });
    let wake: () => void = () => undefined;
    const hung = new Promise<void>((r) => (wake = r));
    let dlqWrites = 0;
    const crashing: Transport = {
      ...inner,
      async produce(records, options) {
        const positions = await inner.produce(records, options);
        if (records.some((r) => r.topic.endsWith('.dlq') && r.headers[DLQ_HEADERS.reason])) {
          dlqWrites++;
          await hung;
        }
        return positions;
      },
    };
    const first = ledger({ name, store, behaviour, transport: crashing });
    await first.start();
    await first.send(Post, { account: 'k', seq: 1 });
    await expect.poll(() => dlqWrites, { timeout: 20_000 }).toBe(1);

    const second = ledger({ name, store, behaviour, sessionTimeoutMs: 6000 });
    await second.start();
    // The second instance gets the record again, learns from the DLQ that k is parked, and parks it.
    await expect.poll(() => second.stats().parked, { timeout: 45_000, interval: 250 }).toBe(1);
    wake();

    const dlq = dlqOf(name);
    const [only, ...none] = await dlq.list();
    expect(none).toEqual([]);
    expect(only).toMatchObject({ key: 'k', reason: 'non-retryable', copies: 2 });

    behaviour.clear();
    await dlq.redrive({ eventId: only!.id });
    await expect
      .poll(async () => (await store.get<Ledger>({ type: name, id: 'k' }))?.version, { timeout: 20_000 })
      .toBe(1);
    expect((await store.get<Ledger>({ type: name, id: 'k' }))?.state.seqs).toEqual([1]);
    expect(await dlq.list()).toEqual([]);
  }, 90_000);
});

/** Headers of every record in a DLQ topic, read by a plain consumer. */
async function rawDlqHeaders(topic: string): Promise<Record<string, string>[]> {
  const transport = kafkaTransport({ brokers, clientId: 'raw-reader' });
  await transport.connect();
  try {
    const { records } = await readTopic(transport, topic, { timeoutMs: 20_000, groupPrefix: 'raw' });
    return records.map((r) => ({ ...r.headers }));
  } finally {
    await transport.disconnect();
  }
}
