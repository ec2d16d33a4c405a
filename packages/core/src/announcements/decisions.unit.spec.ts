import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../command/define-command';
import { TransportError } from '../errors/errors';
import { isLtyError } from '../errors/lty-error';
import { defineEvent } from '../event/define-event';
import { HEADERS } from '../event/headers';
import { uuidV5 } from '../ids/uuid';
import { createService, type Service } from '../service/create-service';
import { joined } from '../service/test-joined';
import { inMemoryStateStore, type InMemoryStateStore } from '../store/in-memory-state-store';
import { onOwnEvent } from '../subscriber/handlers';
import { inMemoryTransport, type InMemoryTransport } from '../transport/in-memory-transport';
import type { Transport } from '../transport/transport';

const Stocked = defineEvent({
  type: 'stock.Stocked',
  schema: z.object({ sku: z.string(), quantity: z.number().int() }),
  key: (e) => e.sku,
});
const Reserved = defineEvent({
  type: 'stock.Reserved',
  schema: z.object({ sku: z.string(), orderId: z.string(), quantity: z.number().int() }),
  key: (e) => e.sku,
});
const ReservationAccepted = defineEvent({
  type: 'stock.ReservationAccepted',
  schema: z.object({ orderId: z.string(), left: z.number().int() }),
  key: (e) => e.orderId,
  topic: 'stock.public',
});
const ReservationRefused = defineEvent({
  type: 'stock.ReservationRefused',
  schema: z.object({ orderId: z.string(), reason: z.string() }),
  key: (e) => e.orderId,
});
const Restock = defineCommand({ name: 'Restock', input: Stocked.schema, toEvents: (c) => Stocked.of(c) });
const Reserve = defineCommand({ name: 'Reserve', input: Reserved.schema, toEvents: (c) => Reserved.of(c) });

interface Stock {
  available: number;
}

const handlers = [
  onOwnEvent(Stocked, (s: Stock | undefined, e) => ({ available: (s?.available ?? 0) + e.payload.quantity })),
  onOwnEvent(Reserved, (s: Stock | undefined, e, ctx) => {
    const { orderId, quantity } = e.payload;
    const available = s?.available ?? 0;
    if (available < quantity) {
      return ctx.reject('out of stock', ReservationRefused.of({ orderId, reason: 'out of stock' }));
    }
    ctx.emit(ReservationAccepted.of({ orderId, left: available - quantity }));
    return { available: available - quantity };
  }),
];

const services: Service[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

async function setup(options: {
  store?: InMemoryStateStore;
  transport?: Transport;
  cluster?: InMemoryTransport;
}) {
  const cluster = options.cluster ?? inMemoryTransport();
  await cluster.connect();
  await cluster.ensureTopics([{ topic: 'stock.public', partitions: 2, replicationFactor: 1 }]);
  const store = options.store ?? inMemoryStateStore();
  const service = createService({
    name: 'stock',
    transport: options.transport ?? cluster.client(),
    store,
    commands: [Restock, Reserve],
    handlers,
    topic: { partitions: 2 },
  });
  services.push(service);
  await service.start();
  return { cluster, store, service };
}

/** An instance that takes commands and applies nothing. */
function commandSide(cluster: InMemoryTransport, store: InMemoryStateStore): Service {
  const service = createService({
    name: 'stock',
    transport: cluster.client(),
    store,
    commands: [Restock, Reserve],
    handlers,
    subscribe: false,
  });
  services.push(service);
  return service;
}

const announced = (cluster: InMemoryTransport, topic: string, type: string) =>
  cluster.records(topic).filter((r) => r.headers[HEADERS.eventType] === type);

describe('apply-time decisions', () => {
  it('30 reservations of 1 against 10 in stock: 10 applied, 20 rejected, each announced once by id', async () => {
    const { cluster, store, service } = await setup({});
    await service.waitForApplied((await service.send(Restock, { sku: 'sku-1', quantity: 10 })).token);
    const receipts = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        service.send(Reserve, { sku: 'sku-1', orderId: `o${i}`, quantity: 1 }),
      ),
    );
    const results = await Promise.allSettled(receipts.map((r) => service.waitForApplied(r.token)));
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => r.reason as unknown);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(rejected).toHaveLength(20);
    for (const err of rejected) {
      if (!isLtyError(err, 'LTY_REJECTED')) throw new Error(`not an ApplyRejectedError: ${String(err)}`);
      expect(err.reason).toBe('out of stock');
      expect(receipts.some((r) => r.eventIds[0] === err.eventId)).toBe(true);
    }
    expect((await store.get<Stock>({ type: 'stock', id: 'sku-1' }))?.state).toEqual({ available: 0 });

    await cluster.idle('stock.self', { timeoutMs: 5000 });
    const refused = announced(cluster, 'stock.events', ReservationRefused.type);
    const accepted = announced(cluster, 'stock.public', ReservationAccepted.type);
    expect(refused).toHaveLength(20);
    expect(accepted).toHaveLength(10);
    for (const record of [...refused, ...accepted]) {
      const cause = record.headers[HEADERS.causationId]!;
      expect(receipts.some((r) => r.eventIds[0] === cause)).toBe(true);
      expect(record.headers[HEADERS.eventId]).toBe(uuidV5(`stock\u0000announce\u0000${cause}\u00000`));
      expect(record.headers[HEADERS.correlationId]).toBeDefined();
    }
    // The left counts run down from 9 to 0 in the order the reservations were decided.
    expect(accepted.map((r) => (JSON.parse(r.value!.toString()) as { left: number }).left).sort()).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(service.stats()).toMatchObject({ applied: 11, rejected: 20, relayed: 30 });
    expect(service.stats().relays).toBeGreaterThan(0);
  });

  it('outcome() reports rejected with the reason, without throwing', async () => {
    const { service } = await setup({});
    const receipt = await service.send(Reserve, { sku: 'none', orderId: 'o1', quantity: 1 });
    const outcome = await service.outcome(receipt.token, { timeoutMs: 5000 });
    expect(outcome).toMatchObject({ applied: false, settled: true });
    expect(outcome.events[0]).toMatchObject({ status: 'rejected', reason: 'out of stock' });
    // A refused first event leaves no entity to read.
    expect(await service.read({ type: 'stock', id: 'none' })).toBeUndefined();
  });

  it('a relay that fails is retried: nothing lost, a lost ack re-sends with the same id', async () => {
    const cluster = inMemoryTransport();
    const store = inMemoryStateStore();
    // The consumer's produce calls are its relays: two fail, the third writes and loses its ack.
    const plan = ['fail', 'fail', 'lose'];
    const client = cluster.client();
    const flaky: Transport = {
      ...client,
      async produce(records, options) {
        const step = plan.shift();
        if (step === 'fail') throw new TransportError('injected: nothing written', { retriable: true });
        const positions = await client.produce(records, options);
        if (step === 'lose') throw new TransportError('injected: ack lost', { retriable: true });
        return positions;
      },
    };
    const consumer = await setup({ cluster, store, transport: flaky });
    const commands = commandSide(cluster, store);
    await commands.start();
    await commands.waitForApplied((await commands.send(Restock, { sku: 's', quantity: 5 })).token);
    for (const orderId of ['a', 'b']) {
      const receipt = await commands.send(Reserve, { sku: 's', orderId, quantity: 1 });
      await commands.waitForApplied(receipt.token, { timeoutMs: 10_000 });
    }
    await cluster.idle('stock.self', { timeoutMs: 10_000 });
    const accepted = announced(cluster, 'stock.public', ReservationAccepted.type);
    expect(accepted).toHaveLength(3);
    expect(new Set(accepted.map((r) => r.headers[HEADERS.eventId])).size).toBe(2);
    expect(plan).toEqual([]);
    expect(consumer.service.stats()).toMatchObject({ relayFailures: 3, relays: 2, relayed: 2 });
  });

  it('an instance that stops before relaying leaves the announcement to the next delivery', async () => {
    const cluster = inMemoryTransport();
    const store = inMemoryStateStore();
    // A consumer whose every produce fails: it applies, never relays, never commits past the record.
    const broken = cluster.client();
    const noRelay: Transport = {
      ...broken,
      produce: () => Promise.reject(new Error('process about to die')),
    };
    const first = await setup({ cluster, store, transport: noRelay });
    const seed = commandSide(cluster, store);
    await seed.start();
    await seed.send(Restock, { sku: 'x', quantity: 1 });
    await seed.send(Reserve, { sku: 'x', orderId: 'late', quantity: 1 });
    const deadline = Date.now() + 5000;
    while ((await store.get<Stock>({ type: 'stock', id: 'x' }))?.state.available !== 0) {
      if (Date.now() > deadline) throw new Error('the broken instance did not apply');
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(announced(cluster, 'stock.public', ReservationAccepted.type)).toHaveLength(0);
    await first.service.stop();
    await new Promise((r) => setTimeout(r, 100));
    const next = await setup({ cluster, store });
    await joined(next.service);
    await cluster.idle('stock.self', { timeoutMs: 10_000 });
    const accepted = announced(cluster, 'stock.public', ReservationAccepted.type);
    expect(accepted.map((r) => JSON.parse(r.value!.toString()) as unknown)).toEqual([
      { orderId: 'late', left: 0 },
    ]);
    expect(next.service.stats()).toMatchObject({ applied: 0, relayed: 1 });
    // Its age at relay counts from the decision, made before the first instance stopped.
    expect(next.service.stats().relayAgeMsMax).toBeGreaterThanOrEqual(100);
  });
});
