import { afterEach, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../command/define-command';
import { defineEvent } from '../event/define-event';
import { createService, type Service } from '../service/create-service';
import { inMemoryStateStore, type InMemoryStateStore } from '../store/in-memory-state-store';
import { inMemoryTransport } from '../transport/in-memory-transport';
import { onOwnEvent } from './handlers';

const Added = defineEvent({
  type: 't.Added',
  schema: z.object({ id: z.string(), n: z.number().int() }),
  key: (e) => e.id,
});
const Add = defineCommand({ name: 'Add', input: Added.schema, toEvents: (c) => Added.of(c) });

const services: Service[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

/** A store that counts its calls and can fail its next applyBatch calls. */
function countingStore() {
  const inner = inMemoryStateStore();
  const calls = { apply: 0, applyBatch: 0, failBatches: 0 };
  const store: InMemoryStateStore = {
    ...inner,
    apply: (change) => (calls.apply++, inner.apply(change)),
    async applyBatch(changes) {
      calls.applyBatch++;
      if (calls.failBatches > 0) {
        calls.failBatches--;
        // Apply half, then fail: the fallback must not apply those twice.
        await inner.applyBatch(changes.slice(0, Math.floor(changes.length / 2)));
        throw new Error('batch failed midway');
      }
      return inner.applyBatch(changes);
    },
  };
  return { store, calls, inner };
}

// start() resolves before the groups joined (they join in the background): idle() needs the group to exist.
async function joined(service: { health(): Promise<{ groups: readonly { state: string }[] }> }) {
  const deadline = Date.now() + 5000;
  while (!(await service.health()).groups.every((g) => g.state === 'running')) {
    if (Date.now() > deadline) throw new Error('the consumer groups did not join within 5 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

it('applies a batch of plain events in one store call per run', async () => {
  const { store, calls, inner } = countingStore();
  const transport = inMemoryTransport();
  const make = (subscribe: boolean) =>
    createService({
      name: 't',
      transport: subscribe ? transport.client() : transport,
      store,
      commands: [Add],
      topic: { partitions: 1 },
      subscribe,
      handlers: [
        onOwnEvent(Added, (s: { sum: number } | undefined, e) => ({ sum: (s?.sum ?? 0) + e.payload.n })),
      ],
    });
  const producer = make(false);
  services.push(producer);
  await producer.start();
  for (let n = 1; n <= 40; n++) await producer.send(Add, { id: `k${n % 4}`, n });
  const consumer = make(true);
  services.push(consumer);
  await consumer.start();
  await joined(consumer);
  await transport.idle('t.self', { timeoutMs: 5000 });
  expect(calls.applyBatch).toBeGreaterThanOrEqual(1);
  expect(calls.apply).toBe(0);
  const sums = [0, 1, 2, 3].map((k) => inner.entities<{ sum: number }>('t').get(`k${k}`)?.state.sum);
  expect(sums).toEqual([220, 190, 200, 210]);
});

it('falls back to one by one when a batch fails midway, applying each event once', async () => {
  const { store, calls, inner } = countingStore();
  calls.failBatches = 1;
  const transport = inMemoryTransport();
  const make = (subscribe: boolean) =>
    createService({
      name: 't',
      transport: subscribe ? transport.client() : transport,
      store,
      commands: [Add],
      topic: { partitions: 1 },
      subscribe,
      handlers: [
        onOwnEvent(Added, (s: { sum: number } | undefined, e) => ({ sum: (s?.sum ?? 0) + e.payload.n })),
      ],
    });
  const producer = make(false);
  services.push(producer);
  await producer.start();
  for (let n = 1; n <= 40; n++) await producer.send(Add, { id: `k${n % 4}`, n });
  const consumer = make(true);
  services.push(consumer);
  await consumer.start();
  await joined(consumer);
  await transport.idle('t.self', { timeoutMs: 5000 });
  expect(calls.apply).toBeGreaterThan(0);
  expect(consumer.stats().duplicates).toBeGreaterThan(0);
  expect(consumer.stats().applied + consumer.stats().duplicates).toBe(40);
  const rows = inner.entities<{ sum: number }>('t');
  expect([0, 1, 2, 3].map((k) => rows.get(`k${k}`)?.state.sum)).toEqual([220, 190, 200, 210]);
  expect([0, 1, 2, 3].map((k) => rows.get(`k${k}`)?.version)).toEqual([10, 10, 10, 10]);
});

it('dead-letters only the failing event of a batch; the others of the run are applied', async () => {
  const { store, inner } = countingStore();
  const transport = inMemoryTransport();
  const make = (subscribe: boolean) =>
    createService({
      name: 't',
      transport: subscribe ? transport.client() : transport,
      store,
      commands: [Add],
      topic: { partitions: 1 },
      subscribe,
      handlers: [
        onOwnEvent(
          Added,
          (s: { sum: number } | undefined, e) => {
            if (e.payload.n === 13) throw new Error('13 is refused');
            return { sum: (s?.sum ?? 0) + e.payload.n };
          },
          { retry: { maxAttempts: 1, backoff: 0 } },
        ),
      ],
    });
  const producer = make(false);
  services.push(producer);
  await producer.start();
  // Key of 13 is k1; give k1 nothing after 13 so parking does not hold back other values.
  for (let n = 1; n <= 13; n++) await producer.send(Add, { id: n === 13 ? 'k13' : `k${n % 4}`, n });
  const consumer = make(true);
  services.push(consumer);
  await consumer.start();
  await joined(consumer);
  await transport.idle('t.self', { timeoutMs: 5000 });
  expect(consumer.stats().deadLettered).toBe(1);
  // The in-memory batch applied 1..12 before 13 threw; the one-by-one pass sees those as duplicates.
  expect(consumer.stats().applied + consumer.stats().duplicates).toBe(12);
  const rows = inner.entities<{ sum: number }>('t');
  expect([0, 1, 2, 3].map((k) => rows.get(`k${k}`)?.state.sum)).toEqual([24, 15, 18, 21]);
  expect(inner.entities('t').has('k13')).toBe(false);
  expect(transport.records('t.events.dlq')).toHaveLength(1);
});
