import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DLQ_HEADERS } from '../dlq/dead-letter';
import { defineEvent } from '../event/define-event';
import { HEADERS } from '../event/headers';
import { createService, type Service } from '../service/create-service';
import { inMemoryStateStore } from '../store/in-memory-state-store';
import { onOwnEvent } from '../subscriber/handlers';
import type { Codec } from './codec';
import { avroCodec } from './avro-codec';
import { jsonCodec } from './json-codec';
import { brokers, registryUrl, unique } from './avro-test-helpers';
import { frame } from './wire-format';

const Paid = defineEvent({
  type: 'dlq.Paid',
  schema: z.object({ id: z.string(), cents: z.number().int().nonnegative(), at: z.coerce.date() }),
  key: (e) => e.id,
});
const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });

const running: Service[] = [];
afterEach(async () => {
  await Promise.allSettled(running.splice(0).map((s) => s.stop()));
});

/** A one-partition service applying Paid, so bad records sit between good ones in one partition. */
async function paidService(codec: Codec) {
  const store = inMemoryStateStore();
  const service = createService({
    name: unique('dlq'),
    kafka: { brokers, maxWaitTimeMs: 100 },
    topic: { partitions: 1 },
    store,
    codec,
    handlers: [onOwnEvent(Paid, (_s: unknown, e) => e.payload, { entity: 'payment' })],
  });
  running.push(service);
  await service.start();
  return { service, store };
}

async function produce(topic: string, records: { key: string; value: Buffer }[]) {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: records.map((r) => ({
      ...r,
      headers: { [HEADERS.eventId]: randomUUID(), [HEADERS.eventType]: Paid.type },
    })),
  });
  await producer.disconnect();
}

async function deadLetters(topic: string, count: number) {
  const consumer = kafka.consumer({ groupId: unique('dlq-reader'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const found: { key: string; value: Buffer; reason: string; message: string }[] = [];
  await new Promise<void>((done) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        const reason = message.headers?.[DLQ_HEADERS.reason]?.toString();
        if (reason === undefined) return; // a control record, not a dead letter
        const why = message.headers?.[DLQ_HEADERS.exceptionMessage]?.toString() ?? '';
        found.push({ key: message.key!.toString(), value: message.value!, reason, message: why });
        if (found.length === count) done();
      },
    });
  });
  await consumer.disconnect();
  return found;
}

const good = (id: string) => ({ id, cents: 100, at: new Date('2026-03-04T05:06:07.089Z') });

async function expectApplied(store: ReturnType<typeof inMemoryStateStore>, ids: string[]) {
  for (const id of ids) {
    await expect
      .poll(async () => (await store.get({ type: 'payment', id }))?.state, { timeout: 20_000 })
      .toEqual(good(id));
  }
}

describe('undecodable records', () => {
  it('dead-letters bad magic, unknown schema id and truncated Avro with reason decode; applies the good ones', async () => {
    const codec = avroCodec({ registry: { url: registryUrl } });
    const { service, store } = await paidService(codec);
    const encode = (id: string) =>
      codec.encode({ topic: service.topic, definition: Paid, payload: good(id) });
    const whole = await encode('b3');
    const bad = {
      b1: Buffer.from(JSON.stringify(good('b1'))), // JSON, not the Confluent framing
      b2: frame(0x7ffffff0, whole.subarray(5)), // a schema id the registry never gave
      b3: whole.subarray(0, whole.length - 3), // the body cut short
    };
    await produce(service.topic, [
      { key: 'g1', value: await encode('g1') },
      { key: 'b1', value: bad.b1 },
      { key: 'g2', value: await encode('g2') },
      { key: 'b2', value: bad.b2 },
      { key: 'g3', value: await encode('g3') },
      { key: 'b3', value: bad.b3 },
      { key: 'g4', value: await encode('g4') },
    ]);

    await expectApplied(store, ['g1', 'g2', 'g3', 'g4']);
    const letters = await deadLetters(`${service.topic}.dlq`, 3);
    expect(letters.map((l) => [l.key, l.reason])).toEqual([
      ['b1', 'decode'],
      ['b2', 'decode'],
      ['b3', 'decode'],
    ]);
    for (const l of letters) expect(l.value.equals(bad[l.key as keyof typeof bad])).toBe(true);
    expect(letters.map((l) => l.message)).toEqual([
      expect.stringMatching(/starts with byte 123, not the Confluent Avro magic byte 0/),
      expect.stringMatching(/names schema id 2147483632, which the registry does not have/),
      expect.stringMatching(/has an unreadable Avro body: truncated buffer/),
    ]);
    expect(service.stats()).toMatchObject({ applied: 4, deadLettered: 3 });
  });

  it('dead-letters JSON that does not parse with reason decode and JSON that fails its schema with reason schema', async () => {
    const { service, store } = await paidService(jsonCodec());
    const json = (v: unknown) => Buffer.from(JSON.stringify(v));
    await produce(service.topic, [
      { key: 'j1', value: json(good('j1')) },
      { key: 'j2', value: Buffer.from('{"id":') },
      { key: 'j3', value: json({ id: 'j3', cents: -5, at: 'not a date' }) },
      { key: 'j4', value: json(good('j4')) },
    ]);
    await expectApplied(store, ['j1', 'j4']);
    const letters = await deadLetters(`${service.topic}.dlq`, 2);
    expect(letters.map((l) => [l.key, l.reason])).toEqual([
      ['j2', 'decode'],
      ['j3', 'schema'],
    ]);
    expect(letters[0]!.value.toString()).toBe('{"id":');
  });
});
