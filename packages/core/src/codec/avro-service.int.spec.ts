import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../command/define-command';
import { ConfigError, TransientError } from '../errors/errors';
import { defineEvent } from '../event/define-event';
import { HEADERS } from '../event/headers';
import { createService, type Service } from '../service/create-service';
import { inMemoryStateStore } from '../store/in-memory-state-store';
import { onEvent, onOwnEvent } from '../subscriber/handlers';
import { avroCodec } from './avro-codec';
import { registryProxy } from './avro-test-proxy';
import {
  RecordEverything,
  brokers,
  everything,
  everythingService,
  registryUrl,
  unique,
  type EverythingPayload,
} from './avro-test-helpers';

const running: Service[] = [];
afterEach(async () => {
  await Promise.allSettled(running.splice(0).map((s) => s.stop()));
});
const started = async (s: Service) => {
  running.push(s);
  await s.start();
  return s;
};

const Shipped = (schema: z.ZodObject) =>
  defineEvent({ type: 'svc.Shipped', schema, key: (e) => String(e.id) });
const ShippedV1 = Shipped(z.object({ id: z.string(), carrier: z.string() }));

function shippingService(name: string, topic: string, event: ReturnType<typeof Shipped>, url = registryUrl) {
  const store = inMemoryStateStore();
  const service = createService({
    name,
    kafka: { brokers, maxWaitTimeMs: 100 },
    topic: { name: topic, partitions: 1 },
    store,
    codec: avroCodec({ registry: { url } }),
    handlers: [onOwnEvent(event, (_s: unknown, e) => e.payload, { entity: 'shipment' })],
    commands: [defineCommand({ name: 'Ship', input: event.schema, toEvents: (c) => event.of(c) })],
    transientMaxDelayMs: 300,
  });
  return { service, store };
}

describe('a service with the Avro codec', () => {
  it('produces, consumes and applies events of every mapped zod type', async () => {
    const { service, store } = everythingService(unique('avro-svc'), {
      codec: avroCodec({ registry: { url: registryUrl } }),
    });
    await started(service);
    const sent = [everything('k1', 0), everything('k2', 1), everything('k3', 2)];
    for (const p of sent)
      await service.waitForApplied((await service.send(RecordEverything, p)).token, { timeoutMs: 15_000 });
    for (const p of sent) {
      expect((await store.get<EverythingPayload>({ type: 'thing', id: p.id }))?.state).toEqual(p);
    }
  });

  it('refuses to start with an incompatible schema, naming the field', async () => {
    const topic = unique('avro-svc-incompat');
    await started(shippingService(unique('ship'), topic, ShippedV1).service);
    const ShippedBad = Shipped(z.object({ id: z.string(), carrier: z.number().int() }));
    const err = await shippingService(unique('ship'), topic, ShippedBad)
      .service.start()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(
      /field "carrier": records written with the registered schema cannot be read/,
    );
  });

  it('registers declared events at start: a multi-type topic gets topic-record subjects', async () => {
    const topic = unique('avro-svc-events');
    const Returned = defineEvent({
      type: 'svc.Returned',
      schema: z.object({ id: z.string() }),
      key: (e) => e.id,
    });
    const Return = defineCommand({ name: 'Return', input: Returned.schema, toEvents: (c) => Returned.of(c) });
    const service = createService({
      name: unique('ship'),
      kafka: { brokers, maxWaitTimeMs: 100 },
      topic: { name: topic, partitions: 1 },
      store: inMemoryStateStore(),
      codec: avroCodec({ registry: { url: registryUrl } }),
      handlers: [onOwnEvent(ShippedV1, (_s: unknown, e) => e.payload, { entity: 'shipment' })],
      commands: [Return],
      events: [Returned],
    });
    await started(service);
    const subjects = (await (await fetch(`${registryUrl}/subjects`)).json()) as string[];
    expect(subjects).toEqual(expect.arrayContaining([`${topic}-svc.Shipped`, `${topic}-svc.Returned`]));
    expect(subjects).not.toContain(`${topic}-value`);
    const receipt = await service.send(Return, { id: 'r1' });
    expect(receipt.eventIds).toHaveLength(1);
  });

  it('checks, without registering, the schemas of topics it only reads', async () => {
    const topic = unique('avro-svc-foreign');
    await started(shippingService(unique('ship'), topic, ShippedV1).service);
    const ShippedBad = Shipped(z.object({ id: z.string(), carrier: z.boolean() }));
    const reader = createService({
      name: unique('reader'),
      kafka: { brokers, maxWaitTimeMs: 100 },
      codec: avroCodec({ registry: { url: registryUrl } }),
      handlers: [onEvent(ShippedBad, () => undefined, { group: unique('g'), topic })],
    });
    const err = await reader.start().catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/field "carrier": cannot read the registered schema/);
    const versions = (await (
      await fetch(`${registryUrl}/subjects/${topic}-value/versions`)
    ).json()) as number[];
    expect(versions).toHaveLength(1);
  });

  it('fails start with one error naming the URL when the registry is unreachable', async () => {
    const url = 'http://127.0.0.1:1/apis/ccompat/v7';
    const { service } = shippingService(unique('ship'), unique('avro-svc-down'), ShippedV1, url);
    const err = await service.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as Error).message).toContain(`schema registry ${url} is unreachable`);
  });

  it('retries, never dead-letters, a record it cannot decode while the registry is down', async () => {
    const topic = unique('avro-svc-outage');
    const proxy = await registryProxy(registryUrl);
    const { service, store } = shippingService(unique('ship'), topic, ShippedV1, proxy.url);
    await started(service);
    // A newer producer writes with v2 (an added optional field): a schema id this service has not seen yet.
    const ShippedV2 = Shipped(z.object({ id: z.string(), carrier: z.string(), eta: z.string().optional() }));
    const value = await avroCodec({ registry: { url: registryUrl } }).encode({
      topic,
      definition: ShippedV2,
      payload: { id: 's1', carrier: 'DHL', eta: 'soon' },
    });

    await proxy.down();
    const producer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: 's1', value, headers: { [HEADERS.eventId]: 'e-s1', [HEADERS.eventType]: 'svc.Shipped' } },
      ],
    });
    await producer.disconnect();
    await expect.poll(() => service.stats().retries, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    expect(await store.get({ type: 'shipment', id: 's1' })).toBeUndefined();

    await proxy.up();
    await expect
      .poll(async () => (await store.get({ type: 'shipment', id: 's1' }))?.state, { timeout: 20_000 })
      .toEqual({ id: 's1', carrier: 'DHL' });
    expect(service.stats().deadLettered).toBe(0);
    await proxy.down();
  });
});
