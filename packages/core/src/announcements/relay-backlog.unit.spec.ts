import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../command/define-command';
import { defineEvent } from '../event/define-event';
import { createService, type Service } from '../service/create-service';
import { inMemoryStateStore } from '../store/in-memory-state-store';
import type { StateStore } from '../store/state-store';
import { onOwnEvent } from '../subscriber/handlers';
import { METRICS } from '../telemetry/metric-names';
import { sumOf, testSdk } from '../telemetry/otel-test-sdk';
import { inMemoryTransport } from '../transport/in-memory-transport';

// lty.relay.backlog (and stats().relayPending) count the announcements of a relay under way: a relay whose mark
// is held reads as a backlog, and the backlog is gone once the mark is done.
const Reserved = defineEvent({
  type: 'stock.Reserved',
  schema: z.object({ sku: z.string(), orderId: z.string() }),
  key: (e) => e.sku,
});
const Accepted = defineEvent({
  type: 'stock.Accepted',
  schema: z.object({ orderId: z.string() }),
  key: (e) => e.orderId,
  topic: 'stock.public',
});
const Reserve = defineCommand({ name: 'Reserve', input: Reserved.schema, toEvents: (c) => Reserved.of(c) });

let sdk: ReturnType<typeof testSdk>;
beforeAll(() => void (sdk = testSdk()));
afterAll(async () => sdk.shutdown());
const services: Service[] = [];
afterEach(async () => void (await Promise.all(services.splice(0).map((s) => s.stop()))));

it('reports the announcements of a relay under way as the relay backlog, and 0 once they are marked', async () => {
  const cluster = inMemoryTransport();
  await cluster.connect();
  await cluster.ensureTopics([{ topic: 'stock.public', partitions: 1, replicationFactor: 1 }]);
  const inner = inMemoryStateStore();
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  let marking = 0;
  const store: StateStore = {
    ...inner,
    markRelayed: async (entity, ids) => {
      marking++;
      await held;
      return inner.markRelayed(entity, ids);
    },
  };
  const service = createService({
    name: 'stock',
    transport: cluster.client(),
    store,
    commands: [Reserve],
    topic: { partitions: 1 },
    handlers: [
      onOwnEvent(Reserved, (s: { count: number } | undefined, e, ctx) => {
        ctx.emit(Accepted.of({ orderId: e.payload.orderId }));
        ctx.emit(Accepted.of({ orderId: `${e.payload.orderId}-again` }));
        return { count: (s?.count ?? 0) + 1 };
      }),
    ],
  });
  services.push(service);
  await service.start();
  const backlog = async () =>
    sumOf((await sdk.metrics()).get(METRICS.relayBacklog.name), { 'lty.service': 'stock' });

  await service.send(Reserve, { sku: 's', orderId: 'o1' });
  await expect.poll(() => marking, { timeout: 5000 }).toBe(1);
  expect(service.stats().relayPending).toBe(2);
  expect(await backlog()).toBe(2);

  release();
  await expect.poll(() => service.stats().relayPending, { timeout: 5000 }).toBe(0);
  expect(await backlog()).toBe(0);
  expect(service.stats().relayed).toBe(2);
});
