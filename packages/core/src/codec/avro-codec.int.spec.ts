import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, TransientError } from '../errors/errors';
import { defineEvent } from '../event/define-event';
import { classifyFailure } from '../retry/classify';
import { avroCodec } from './avro-codec';
import { registryProxy } from './avro-test-proxy';
import { EverythingHappened, everything, registryUrl, unique } from './avro-test-helpers';

const registry = { url: registryUrl };
const subjects = async (): Promise<string[]> =>
  (await fetch(`${registryUrl}/subjects`)).json() as Promise<string[]>;
const versions = async (subject: string): Promise<number[]> =>
  (await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}/versions`)).json() as Promise<
    number[]
  >;

// Two versions of one event: v2 adds an optional field and removes one that had a default.
const OrderV1 = defineEvent({
  type: 'evo.Order',
  schema: z.object({ id: z.string(), amount: z.number().int(), legacy: z.string().default('n/a') }),
  key: (e) => e.id,
});
const OrderV2 = defineEvent({
  type: 'evo.Order',
  schema: z.object({ id: z.string(), amount: z.number().int(), note: z.string().optional() }),
  key: (e) => e.id,
});

describe('avroCodec against the real registry', () => {
  it('round-trips every mapped zod type in the Confluent wire format', async () => {
    const topic = unique('avro-rt');
    const codec = avroCodec({ registry });
    await codec.prepare({ topic, events: [EverythingHappened] });
    const payload = everything('rt-1', 1);
    const value = await codec.encode({ topic, definition: EverythingHappened, payload });
    expect(value[0]).toBe(0);
    const id = value.readInt32BE(1);
    const registered = (await (
      await fetch(`${registryUrl}/subjects/${topic}-value/versions/latest`)
    ).json()) as { id: number };
    expect(id).toBe(registered.id);
    const back = EverythingHappened.schema.parse(
      await codec.decode({ topic, value, definition: EverythingHappened }),
    );
    expect(back).toEqual(payload);
  });

  it('reads old records with the new schema and new records with the old one', async () => {
    const topic = unique('avro-evo');
    const v1 = avroCodec({ registry });
    await v1.prepare({ topic, events: [OrderV1] });
    const oldRecord = await v1.encode({
      topic,
      definition: OrderV1,
      payload: { id: 'o1', amount: 5, legacy: 'L' },
    });

    const v2 = avroCodec({ registry });
    await v2.prepare({ topic, events: [OrderV2] });
    const newRecord = await v2.encode({
      topic,
      definition: OrderV2,
      payload: { id: 'o2', amount: 7, note: 'hi' },
    });
    expect(newRecord.readInt32BE(1)).not.toBe(oldRecord.readInt32BE(1));
    expect(await versions(`${topic}-value`)).toHaveLength(2);

    // Backward: the new reader fills the added field's default (absent) and ignores the removed one.
    const oldAsNew = OrderV2.schema.parse(await v2.decode({ topic, value: oldRecord, definition: OrderV2 }));
    expect(oldAsNew).toEqual({ id: 'o1', amount: 5 });
    // Forward: the old reader fills the removed field from its default and ignores the added one.
    const newAsOld = OrderV1.schema.parse(await v1.decode({ topic, value: newRecord, definition: OrderV1 }));
    expect(newAsOld).toEqual({ id: 'o2', amount: 7, legacy: 'n/a' });
  });

  it('gives each type of a multi-type topic its own topic-record subject; record strategy names by record', async () => {
    const topic = unique('avro-multi');
    const codec = avroCodec({ registry });
    await codec.prepare({ topic, events: [OrderV1, EverythingHappened] });
    const all = await subjects();
    expect(all).toContain(`${topic}-evo.Order`);
    expect(all).toContain(`${topic}-interop.EverythingHappened`);
    expect(all).not.toContain(`${topic}-value`);

    const ns = unique('rec').replace('-', '_');
    const ByRecord = defineEvent({
      type: `${ns}.Thing`,
      schema: z.object({ id: z.string() }),
      key: (e) => e.id,
    });
    const byRecord = avroCodec({ registry, subjectStrategy: 'record' });
    await byRecord.encode({ topic, definition: ByRecord, payload: { id: 'x' } });
    expect(await subjects()).toContain(`${ns}.Thing`);
  });

  it('refuses, clearly, a second event type on a topic whose <topic>-value subject holds another', async () => {
    const topic = unique('avro-one');
    const codec = avroCodec({ registry });
    await codec.prepare({ topic, events: [OrderV1] });
    const err = await codec
      .encode({ topic, definition: EverythingHappened, payload: everything('x') })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(
      new RegExp(`${topic}-value already holds evo.Order.*topic-record`),
    );
  });

  it('refuses an incompatible schema at prepare, naming the field, and registers nothing', async () => {
    const topic = unique('avro-incompat');
    await avroCodec({ registry }).prepare({ topic, events: [OrderV1] });
    const OrderBad = defineEvent({
      type: 'evo.Order',
      schema: z.object({ id: z.string(), amount: z.number().int(), country: z.string() }),
      key: (e) => e.id,
    });
    const err = await avroCodec({ registry })
      .prepare({ topic, events: [OrderBad] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('field "country" is new and has no default');
    expect(await versions(`${topic}-value`)).toHaveLength(1);

    // A reader of a topic it only consumes is checked the same way, and registers nothing.
    const consumer = avroCodec({ registry });
    const readErr = await consumer
      .prepare({ topic, events: [OrderBad], consumeOnly: true })
      .catch((e: unknown) => e);
    expect((readErr as Error).message).toContain('field "country"');
    await consumer.prepare({ topic, events: [OrderV2], consumeOnly: true });
    expect(await versions(`${topic}-value`)).toHaveLength(1);
  });

  it('fails prepare with one error naming the URL when the registry is unreachable', async () => {
    const url = 'http://127.0.0.1:1/apis/ccompat/v7';
    const err = await avroCodec({ registry: { url } })
      .prepare({ topic: unique('avro-down'), events: [OrderV1, EverythingHappened] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as Error).message).toMatch(
      new RegExp(`^schema registry ${url} is unreachable .*ECONNREFUSED`),
    );
  });

  it('makes a registry outage while running a transient (retried) error, and heals when it is back', async () => {
    const topic = unique('avro-outage');
    const proxy = await registryProxy(registryUrl);
    const reader = avroCodec({ registry: { url: proxy.url } });
    await reader.prepare({ topic, events: [OrderV1] });
    // A newer writer registers v2 directly: the reader must fetch that schema id when it first sees it.
    const writer = avroCodec({ registry });
    const value = await writer.encode({ topic, definition: OrderV2, payload: { id: 'o9', amount: 1 } });

    await proxy.down();
    const err = await reader.decode({ topic, value, definition: OrderV1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(classifyFailure(err)).toBe('transient');
    expect((err as Error).message).toContain(proxy.url);
    const encodeErr = await reader
      .encode({
        topic: unique('avro-outage-new'),
        definition: OrderV1,
        payload: { id: 'a', amount: 1, legacy: 'x' },
      })
      .catch((e: unknown) => e);
    expect(classifyFailure(encodeErr)).toBe('transient');

    await proxy.up();
    expect(await reader.decode({ topic, value, definition: OrderV1 })).toMatchObject({
      id: 'o9',
      legacy: 'n/a',
    });
    await proxy.down();
  });
});
