import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../command/define-command';
import { deadLetters } from '../dlq/dead-letters';
import { NonRetryableError } from '../errors/errors';
import { defineEvent } from '../event/define-event';
import { HEADERS } from '../event/headers';
import { inMemoryStateStore } from '../store/in-memory-state-store';
import { onEvent, onOwnEvent } from '../subscriber/handlers';
import { inMemoryTransport, type InMemoryTransport } from '../transport/in-memory-transport';
import { createService, type Service } from './create-service';
import type { Logger } from './logger';
import { subscriptionTopics } from './subscription-topics';
import { joined } from './test-joined';

// The contracts: what orders publishes, and what billing publishes.
const OrderPlaced = defineEvent({
  type: 'orders.OrderPlaced',
  schema: z.object({ orderId: z.string(), seq: z.number().int() }),
  key: (e) => e.orderId,
});
const InvoiceIssued = defineEvent({
  type: 'billing.InvoiceIssued',
  schema: z.object({ orderId: z.string(), seq: z.number().int() }),
  key: (e) => e.orderId,
});
const PlaceOrder = defineCommand({
  name: 'PlaceOrder',
  input: OrderPlaced.schema,
  toEvents: (c) => OrderPlaced.of(c),
});

const GROUP = 'billing.orders';
const { dlqTopic: BILLING_DLQ, redriveTopic: BILLING_REDRIVE } = subscriptionTopics('billing', GROUP);

const open: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.stop();
});

/** The test's own client of a new cluster, to look at topics. */
async function connectedCluster(): Promise<InMemoryTransport> {
  const cluster = inMemoryTransport();
  await cluster.connect();
  open.push({ stop: () => cluster.disconnect() });
  return cluster;
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (m: string) => void lines.push(m);
  return { lines, debug: log, info: log, warn: log, error: log };
}

function orders(transport: InMemoryTransport): Service {
  const service = createService({
    name: 'orders',
    transport,
    commands: [PlaceOrder],
    events: [OrderPlaced],
    topic: { partitions: 3 },
  });
  open.push(service);
  return service;
}

/** A subscriber-only service: no commands; it issues an invoice per order and applies its own invoices. */
function billing(transport: InMemoryTransport, poison: Set<number>, logger: Logger = recordingLogger()) {
  const store = inMemoryStateStore();
  const service = createService({
    name: 'billing',
    transport,
    store,
    logger,
    handlers: [
      onEvent(
        OrderPlaced,
        (e) => {
          if (poison.has(e.payload.seq)) throw new NonRetryableError(`seq ${e.payload.seq} is poison`);
          return [InvoiceIssued.of(e.payload)];
        },
        { group: GROUP, topic: 'orders.events' },
      ),
      onOwnEvent(InvoiceIssued, (s: { seqs: number[] } | undefined, e) => ({
        seqs: [...(s?.seqs ?? []), e.payload.seq],
      })),
    ],
    topic: { partitions: 2 },
  });
  open.push(service);
  const invoices = async (orderId: string) =>
    (await store.get<{ seqs: number[] }>({ type: 'billing', id: orderId }))?.state.seqs;
  return { service, invoices };
}

const types = (t: InMemoryTransport, topic: string) =>
  t.records(topic).map((r) => r.headers[HEADERS.eventType]);
const topics = async (t: InMemoryTransport, names: string[]) =>
  Promise.all(names.map(async (n) => [n, await t.partitionCount(n)] as const));

describe('a service subscribed to another service (in-memory transport)', () => {
  it('produces its follow-ups to its own topic and applies them with its own reducer', async () => {
    const cluster = await connectedCluster();
    const publisher = orders(cluster.client());
    await publisher.start();
    const sub = billing(cluster.client(), new Set());
    await sub.service.start();
    for (const seq of [1, 2]) await publisher.send(PlaceOrder, { orderId: 'o1', seq });
    await cluster.idle();

    expect(types(cluster, 'orders.events')).toEqual([OrderPlaced.type, OrderPlaced.type]);
    expect(types(cluster, 'billing.events')).toEqual([InvoiceIssued.type, InvoiceIssued.type]);
    expect(await sub.invoices('o1')).toEqual([1, 2]);
    const follow = cluster.records('billing.events')[0]!;
    expect(follow.headers[HEADERS.causationId]).toBe(
      cluster.records('orders.events')[0]!.headers[HEADERS.eventId],
    );
    // The subscriber created its own topics only; the publisher's DLQ is untouched by it.
    expect(await topics(cluster, ['billing.events', BILLING_DLQ, BILLING_REDRIVE, 'orders.events'])).toEqual([
      ['billing.events', 2],
      [BILLING_DLQ, 2],
      [BILLING_REDRIVE, 2],
      ['orders.events', 3],
    ]);
  });

  it('sends a follow-up to the topic its definition names, and refuses one group on two topics', async () => {
    const cluster = await connectedCluster();
    const publisher = orders(cluster.client());
    await publisher.start();
    const Audited = defineEvent({
      type: 'audit.Seen',
      schema: z.object({ orderId: z.string() }),
      key: (e) => e.orderId,
      topic: 'audit.events',
    });
    await cluster.ensureTopics([{ topic: 'audit.events', partitions: 1, replicationFactor: 1 }]);
    const auditor = createService({
      name: 'auditor',
      transport: cluster.client(),
      handlers: [
        onEvent(OrderPlaced, (e) => [Audited.of({ orderId: e.payload.orderId })], {
          group: 'auditor.orders',
          topic: 'orders.events',
        }),
      ],
    });
    open.push(auditor);
    await auditor.start();
    await joined(auditor);
    await publisher.send(PlaceOrder, { orderId: 'o1', seq: 1 });
    await cluster.idle();
    expect(types(cluster, 'audit.events')).toEqual([Audited.type]);
    expect(cluster.records('auditor.events')).toEqual([]);

    const twoTopics = () =>
      createService({
        name: 'confused',
        transport: cluster.client(),
        handlers: [
          onEvent(OrderPlaced, () => undefined, { group: 'g', topic: 'orders.events' }),
          onEvent(InvoiceIssued, () => undefined, { group: 'g', topic: 'billing.events' }),
        ],
      });
    expect(twoTopics).toThrow(/group g reads one topic/);
  });

  it('never creates the topic it subscribes to: it waits, says so once, and joins when the publisher creates it', async () => {
    const cluster = await connectedCluster();
    const logger = recordingLogger();
    const sub = billing(cluster.client(), new Set(), logger);
    await sub.service.start();
    await new Promise((r) => setTimeout(r, 2500));
    expect(await cluster.partitionCount('orders.events')).toBe(0);
    expect(await cluster.partitionCount('orders.events.dlq')).toBe(0);
    expect(logger.lines.filter((l) => l.startsWith('waiting for a topic'))).toHaveLength(1);

    const publisher = orders(cluster.client());
    await publisher.start();
    await publisher.send(PlaceOrder, { orderId: 'o1', seq: 1 });
    for (let i = 0; i < 50 && (await sub.invoices('o1')) === undefined; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await sub.invoices('o1')).toEqual([1]);
    expect(await cluster.partitionCount('orders.events')).toBe(3);
  });

  it('dead-letters to its own DLQ, parks the key, and redrives through its own redrive topic in order', async () => {
    const cluster = await connectedCluster();
    const publisher = orders(cluster.client());
    await publisher.start();
    const poison = new Set([2]);
    const sub = billing(cluster.client(), poison);
    await sub.service.start();
    for (const seq of [1, 2, 3, 4]) await publisher.send(PlaceOrder, { orderId: 'o1', seq });
    await publisher.send(PlaceOrder, { orderId: 'o2', seq: 9 });
    await cluster.idle();
    expect(await sub.invoices('o1')).toEqual([1]);
    expect(await sub.invoices('o2')).toEqual([9]);
    expect(cluster.records('orders.events.dlq')).toEqual([]);

    const dlq = deadLetters({
      transport: cluster.client(),
      topic: 'orders.events',
      groupId: GROUP,
      dlqTopic: BILLING_DLQ,
      redriveTopic: BILLING_REDRIVE,
    });
    open.push({ stop: () => dlq.close() });
    expect((await dlq.list()).map((d) => `${d.key}:${d.reason}`)).toEqual([
      'o1:non-retryable',
      'o1:parked',
      'o1:parked',
    ]);

    // A redrive while the poison is still poison: the first copy fails again and the rest wait behind it.
    await dlq.redrive({ key: 'o1' });
    await cluster.idle();
    expect(await sub.invoices('o1')).toEqual([1]);
    await publisher.send(PlaceOrder, { orderId: 'o1', seq: 5 });
    await cluster.idle();
    expect(await sub.invoices('o1')).toEqual([1]);

    poison.clear();
    const run = await dlq.redrive({ key: 'o1' });
    expect(run.keys).toEqual(['o1']);
    await cluster.idle();
    expect(await sub.invoices('o1')).toEqual([1, 2, 3, 4, 5]);
    expect(await dlq.list()).toEqual([]);
    await publisher.send(PlaceOrder, { orderId: 'o1', seq: 6 });
    await cluster.idle();
    expect(await sub.invoices('o1')).toEqual([1, 2, 3, 4, 5, 6]);
    // Nothing of the subscriber's reached the publisher's topic: only the orders' own events are there.
    expect(new Set(types(cluster, 'orders.events'))).toEqual(new Set([OrderPlaced.type]));
    expect(cluster.records('orders.events.dlq')).toEqual([]);
    expect(sub.service.stats()).toMatchObject({ released: 1 });
  });
});
