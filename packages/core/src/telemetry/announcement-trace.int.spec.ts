import { randomUUID } from 'node:crypto';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { serviceConfig } from '../../../../scripts/services/service-config.mjs';
import { defineCommand } from '../command/define-command';
import { defineEvent } from '../event/define-event';
import { createService } from '../service/create-service';
import { inMemoryStateStore } from '../store/in-memory-state-store';
import { onEvent, onOwnEvent } from '../subscriber/handlers';
import { otelTestHooks } from './otel-test-hooks';

// One trace from a command to the apply of another service that learnt of it only through an announcement:
// send -> own apply (which decides the announcement) -> lty.relay -> the other service's subscription -> its
// follow-up send -> its own apply.
const kafka = { brokers: serviceConfig().kafkaBrokers, maxWaitTimeMs: 100 };
const id = randomUUID().slice(0, 8);

const OrderPlaced = defineEvent({
  type: 'trace.OrderPlaced',
  schema: z.object({ orderId: z.string().min(1) }),
  key: (e) => e.orderId,
});
const OrderConfirmed = defineEvent({
  type: 'trace.OrderConfirmed',
  schema: z.object({ orderId: z.string() }),
  key: (e) => e.orderId,
});
const ShipmentRequested = defineEvent({
  type: 'trace.ShipmentRequested',
  schema: z.object({ orderId: z.string() }),
  key: (e) => e.orderId,
});
const PlaceOrder = defineCommand({
  name: 'PlaceOrder',
  input: OrderPlaced.schema,
  toEvents: (c) => OrderPlaced.of(c),
});

const otel = otelTestHooks();
const { started } = otel;

const orders = createService({
  name: `trace-o-${id}`,
  kafka,
  store: inMemoryStateStore(),
  commands: [PlaceOrder],
  handlers: [
    onOwnEvent(
      OrderPlaced,
      (_s, e, ctx) => {
        ctx.emit(OrderConfirmed.of({ orderId: e.payload.orderId }));
        return { confirmed: true };
      },
      { entity: 'order' },
    ),
  ],
});
const shipping = (ordersTopic: string) =>
  createService({
    name: `trace-s-${id}`,
    kafka,
    store: inMemoryStateStore(),
    handlers: [
      onEvent(OrderConfirmed, (e) => [ShipmentRequested.of({ orderId: e.payload.orderId })], {
        group: `trace-s-${id}.orders`,
        topic: ordersTopic,
      }),
      onOwnEvent(ShipmentRequested, () => ({ requested: true }), { entity: 'shipment' }),
    ],
  });

const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const group = (s: ReadableSpan) => s.attributes['messaging.consumer.group.name'];

it('follows a command through an announcement into another service, in one trace', async () => {
  const o = await started(orders);
  const sh = await started(shipping(o.topic));
  const receipt = await o.send(PlaceOrder, { orderId: `o-${randomUUID()}` });
  await o.waitForApplied(receipt.token, { timeoutMs: 30_000 });

  let trace: ReadableSpan[] = [];
  await expect
    .poll(
      () => {
        const send = otel.sdk
          .spans()
          .find(
            (s) =>
              s.name === `send ${o.topic}` && s.attributes['messaging.message.id'] === receipt.eventIds[0],
          );
        if (!send) return false;
        trace = otel.sdk.spans().filter((s) => s.spanContext().traceId === send.spanContext().traceId);
        return trace.some((s) => s.name === `process ${sh.topic}` && group(s) === `trace-s-${id}.self`);
      },
      { timeout: 30_000, interval: 200 },
    )
    .toBe(true);

  const one = (pred: (s: ReadableSpan) => boolean, what: string) => {
    const found = trace.filter(pred);
    expect(found, what).toHaveLength(1);
    return found[0]!;
  };
  const send = one((s) => s.name === `send ${o.topic}`, 'the command send');
  const ownApply = one(
    (s) =>
      s.name === `process ${o.topic}` &&
      group(s) === `trace-o-${id}.self` &&
      s.attributes['messaging.message.id'] === receipt.eventIds[0],
    'the apply that decided the announcement',
  );
  expect(parentOf(ownApply)).toBe(send.spanContext().spanId);
  const relay = one((s) => s.name === 'lty.relay', 'the relay of the announcement');
  expect(trace.map((s) => s.spanContext().spanId)).toContain(parentOf(relay));
  const subscription = one(
    (s) =>
      s.name === `process ${o.topic}` &&
      group(s) === `trace-s-${id}.orders` &&
      s.attributes['lty.event.type'] === OrderConfirmed.type,
    "the other service's subscription of the announcement",
  );
  // The announcement carries the context of the apply that decided it, so its reader joins the trace there.
  const ancestors = new Set<string | undefined>();
  for (let s: ReadableSpan | undefined = subscription; s;) {
    ancestors.add(parentOf(s));
    s = trace.find((t) => t.spanContext().spanId === parentOf(s!));
  }
  expect(ancestors).toContain(ownApply.spanContext().spanId);
  const followUp = one((s) => s.name === `send ${sh.topic}`, 'the follow-up send');
  expect(parentOf(followUp)).toBe(subscription.spanContext().spanId);
  const theirApply = one(
    (s) => s.name === `process ${sh.topic}` && group(s) === `trace-s-${id}.self`,
    "the other service's apply",
  );
  expect(parentOf(theirApply)).toBe(followUp.spanContext().spanId);
});
