import { AvroSchemaParser } from '@asyncapi/avro-schema-parser';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { avroCodec } from '../codec/avro-codec';
import { defineCommand } from '../command/define-command';
import { defineEvent } from '../event/define-event';
import { createService } from '../service/create-service';
import { onEvent, onOwnEvent } from '../subscriber/handlers';
import { inMemoryStateStore } from '../store/in-memory-state-store';
import { asyncApiDocument } from './asyncapi';

const Placed = defineEvent({
  type: 'shop.OrderPlaced',
  schema: z.object({ orderId: z.string().uuid(), totalCents: z.number().int().nonnegative() }),
  key: (e) => e.orderId,
});
const Shipped = defineEvent({
  type: 'shop.OrderShipped',
  schema: z.object({ orderId: z.string(), at: z.string() }),
  key: (e) => e.orderId,
});
const PlaceOrder = defineCommand({
  name: 'PlaceOrder',
  input: z.object({ orderId: z.string().uuid(), totalCents: z.number().int() }),
  toEvents: (c) => Placed.of(c),
});

const kafka = { brokers: ['127.0.0.1:1'] };
const orders = (codec?: ReturnType<typeof avroCodec>) =>
  createService({
    name: 'orders',
    kafka,
    store: inMemoryStateStore(),
    commands: [PlaceOrder],
    handlers: [onOwnEvent(Placed, (s: number | undefined) => (s ?? 0) + 1)],
    events: [Shipped],
    topic: { partitions: 3 },
    ...(codec ? { codec } : {}),
  });
const billing = createService({
  name: 'billing',
  kafka,
  handlers: [onEvent(Placed, () => undefined, { group: 'billing.orders', topic: 'orders.events' })],
});

const parser = new Parser({ schemaParsers: [AvroSchemaParser()] });
async function parse(doc: unknown) {
  const { document, diagnostics } = await parser.parse(JSON.stringify(doc));
  return {
    document,
    errors: diagnostics
      .filter((d) => Number(d.severity) === Number(DiagnosticSeverity.Error))
      .map((d) => d.message),
  };
}

// The parser is slow to warm up on a loaded machine.
describe('asyncApiDocument', { timeout: 60_000 }, () => {
  it('describes commands, events, groups and dead-letter topics, and @asyncapi/parser accepts it', async () => {
    const doc = asyncApiDocument([orders(), billing], { title: 'shop', version: '1.2.0' });
    const { document, errors } = await parse(doc);
    expect(errors).toEqual([]);
    const ops = document!.operations().all();
    const view = ops.map((o) => [
      o.id(),
      o.action(),
      o.channels().all()[0]!.address(),
      o
        .messages()
        .all()
        .map((m) => m.name()),
    ]);
    expect(view).toEqual([
      ['orders.publish', 'send', 'orders.events', ['shop.OrderPlaced', 'shop.OrderShipped']],
      ['orders.self.receive', 'receive', 'orders.events', ['shop.OrderPlaced']],
      ['orders.self.dead-letters', 'send', 'orders.events.dlq', ['shop.OrderPlaced']],
      ['billing.orders.receive', 'receive', 'orders.events', ['shop.OrderPlaced']],
      ['billing.orders.dead-letters', 'send', 'billing.orders.dlq', ['shop.OrderPlaced']],
    ]);
    const receive = ops.find((o) => o.id() === 'billing.orders.receive')!;
    expect(receive.bindings().get('kafka')?.value()).toMatchObject({ groupId: { enum: ['billing.orders'] } });
    const placed = document!.components().messages().get('shop.OrderPlaced')!;
    expect(placed.payload()?.json()).toMatchObject({
      type: 'object',
      properties: {
        orderId: { type: 'string', format: 'uuid' },
        totalCents: { type: 'integer', minimum: 0 },
      },
      required: ['orderId', 'totalCents'],
    });
    expect(doc['x-lty-commands']).toMatchObject({
      PlaceOrder: { service: 'orders', input: { type: 'object' } },
    });
    expect(document!.channels().get('orders.events')?.bindings().get('kafka')?.value()).toMatchObject({
      partitions: 3,
    });
  });

  it('gives the Avro schema as the payload when the service uses the Avro codec', async () => {
    const codec = avroCodec({ registry: { url: 'http://127.0.0.1:1' } });
    const doc = asyncApiDocument([orders(codec)]);
    const { document, errors } = await parse(doc);
    expect(errors).toEqual([]);
    const placed = document!.components().messages().get('shop.OrderPlaced')!;
    expect(placed.payload()?.schemaFormat()).toMatch(/^application\/vnd\.apache\.avro/);
    expect(JSON.stringify(doc)).toContain('"type":"record"');
  });

  it('a broken document fails the same check (the check can fail)', async () => {
    const doc = asyncApiDocument([orders()]);
    const broken = { ...doc, operations: { x: { action: 'publish', channel: { $ref: '#/channels/nope' } } } };
    expect((await parse(broken)).errors.length).toBeGreaterThan(0);
  });

  it('refuses an object createService did not make', () => {
    expect(() => asyncApiDocument([{ name: 'x' }])).toThrow(/not made by createService/);
  });
});
