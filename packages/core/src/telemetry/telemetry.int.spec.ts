import { randomUUID } from 'node:crypto';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serviceConfig } from '../../../../scripts/services/service-config.mjs';
import { defineCommand } from '../command/define-command';
import { NonRetryableError } from '../errors/errors';
import { defineEvent } from '../event/define-event';
import { HEADERS } from '../event/headers';
import { createService, type Service } from '../service/create-service';
import { inMemoryStateStore } from '../store/in-memory-state-store';
import { onEvent, onOwnEvent } from '../subscriber/handlers';
import { METRICS } from './metric-names';
import { otelTestHooks } from './otel-test-hooks';
import { sumOf } from './otel-test-sdk';

const brokers = serviceConfig().kafkaBrokers;
const kafka = { brokers, maxWaitTimeMs: 100 };
const id = randomUUID().slice(0, 8);

const order = z.object({
  orderId: z.string().min(1),
  behaviour: z.enum(['ok', 'flaky', 'poison']).default('ok'),
});
const OrderPlaced = defineEvent({ type: 'otel.OrderPlaced', schema: order, key: (e) => e.orderId });
const PlaceOrder = defineCommand({
  name: 'PlaceOrder',
  input: order,
  toEvents: (c) => OrderPlaced.of(c),
});
const PlaceThree = defineCommand({
  name: 'PlaceThree',
  input: z.object({ orderId: z.string().min(1) }),
  toEvents: (c) => [1, 2, 3].map(() => OrderPlaced.of({ orderId: c.orderId, behaviour: 'ok' })),
});
const ShipmentRequested = defineEvent({
  type: 'otel.ShipmentRequested',
  schema: z.object({ orderId: z.string() }),
  key: (e) => e.orderId,
});

const otel = otelTestHooks();
const { started } = otel;

const flakyFailures = new Map<string, number>();
function orders(name: string): Service {
  return createService({
    name,
    kafka,
    store: inMemoryStateStore(),
    commands: [PlaceOrder, PlaceThree],
    handlers: [
      onOwnEvent(
        OrderPlaced,
        (_s, e) => {
          const { orderId, behaviour } = e.payload;
          if (behaviour === 'poison') throw new NonRetryableError(`order ${orderId} cannot be applied`);
          // A flaky order fails twice, then applies: two retries.
          const failed = flakyFailures.get(orderId) ?? 0;
          if (behaviour === 'flaky' && failed < 2) {
            flakyFailures.set(orderId, failed + 1);
            throw new Error(`flaky failure ${failed + 1}`);
          }
          return { placed: true };
        },
        { entity: 'order', retry: { maxAttempts: 5, backoff: 10 } },
      ),
    ],
  });
}

const seenTraceparent = new Map<string, string | undefined>();
function shipping(name: string, ordersTopic: string): Service {
  return createService({
    name,
    kafka,
    store: inMemoryStateStore(),
    handlers: [
      onEvent(
        OrderPlaced,
        (e) => {
          seenTraceparent.set(e.payload.orderId, e.meta.headers[HEADERS.traceparent]);
          return [ShipmentRequested.of({ orderId: e.payload.orderId })];
        },
        {
          group: `${name}.orders`,
          topic: ordersTopic,
        },
      ),
      onOwnEvent(ShipmentRequested, () => ({ requested: true }), { entity: 'shipment' }),
    ],
  });
}

const attr = (s: ReadableSpan, name: string) => s.attributes[name];
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
/** A process span's apply status: on its `lty.apply` child (one by one), or on itself (a batch apply). */
function applyStatusOf(process: ReadableSpan, spans: readonly ReadableSpan[]): unknown {
  if (!process.name.startsWith('process ')) return undefined;
  const child = spans.find((s) => s.name === 'lty.apply' && parentOf(s) === process.spanContext().spanId);
  return child ? child.attributes['lty.apply.status'] : process.attributes['lty.apply.status'];
}

describe('OpenTelemetry on real Kafka', () => {
  it('follows one command across two services in one trace', async () => {
    const o = await started(orders(`otel-o-${id}`));
    const sh = await started(shipping(`otel-s-${id}`, o.topic));
    const orderId = `o-${randomUUID()}`;
    const receipt = await o.send(PlaceOrder, { orderId });
    await o.waitForApplied(receipt.token, { timeoutMs: 30_000 });

    // The shipping service's own apply of the follow-up is the trace's last span.
    let trace: ReadableSpan[] = [];
    await expect
      .poll(
        () => {
          const send = otel.sdk
            .spans()
            .find(
              (s) => s.name === `send ${o.topic}` && attr(s, 'messaging.message.id') === receipt.eventIds[0],
            );
          if (!send) return 0;
          trace = otel.sdk.spans().filter((s) => s.spanContext().traceId === send.spanContext().traceId);
          return trace.filter((s) => applyStatusOf(s, trace) !== undefined).length;
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(2);

    const one = (pred: (s: ReadableSpan) => boolean, what: string) => {
      const found = trace.filter(pred);
      expect(found, what).toHaveLength(1);
      return found[0]!;
    };
    const send = one((s) => s.name === `send ${o.topic}`, 'the command send');
    expect(send.kind).toBe(3); // PRODUCER
    expect(send.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.destination.name': o.topic,
      'lty.command': 'PlaceOrder',
      'messaging.destination.partition.id': String(receipt.positions[0]!.partition),
      'messaging.kafka.offset': Number(receipt.positions[0]!.offset),
    });
    expect(parentOf(send)).toBeUndefined();

    const processIn = (group: string) =>
      one(
        (s) =>
          s.name === `process ${s.attributes['messaging.destination.name'] as string}` &&
          attr(s, 'messaging.consumer.group.name') === group,
        group,
      );
    const ownApply = processIn(`otel-o-${id}.self`);
    expect(ownApply.kind).toBe(4); // CONSUMER
    expect(parentOf(ownApply)).toBe(send.spanContext().spanId);
    expect(ownApply.links.map((l) => l.context.spanId)).toEqual([send.spanContext().spanId]);
    expect(ownApply.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': o.topic,
      'messaging.destination.partition.id': String(receipt.positions[0]!.partition),
      'messaging.kafka.offset': Number(receipt.positions[0]!.offset),
      'messaging.message.id': receipt.eventIds[0],
    });
    expect(applyStatusOf(ownApply, trace)).toBe('applied');

    const subscription = processIn(`otel-s-${id}.orders`);
    expect(parentOf(subscription)).toBe(send.spanContext().spanId);
    // The record the subscriber read carried the send's context as a W3C traceparent header.
    const { traceId, spanId } = send.spanContext();
    expect(seenTraceparent.get(orderId)).toBe(`00-${traceId}-${spanId}-01`);
    const followUp = one((s) => s.name === `send ${sh.topic}`, 'the follow-up send');
    expect(followUp.kind).toBe(3);
    expect(parentOf(followUp)).toBe(subscription.spanContext().spanId);
    const shipApply = processIn(`otel-s-${id}.self`);
    expect(parentOf(shipApply)).toBe(followUp.spanContext().spanId);
    expect(applyStatusOf(shipApply, trace)).toBe('applied');
  });

  it('gives each record of a batch apply its own CONSUMER span, child of its send, with its apply status', async () => {
    const o = await started(orders(`otel-b-${id}`));
    const orderId = `b-${randomUUID()}`;
    // Three events of one key in one produce request: one fetch, one run for the store's applyBatch.
    const receipt = await o.send(PlaceThree, { orderId });
    await o.waitForApplied(receipt.token, { timeoutMs: 30_000 });
    const send = otel.sdk
      .spans()
      .find((s) => s.name === `send ${o.topic}` && s.attributes['lty.command'] === 'PlaceThree')!;
    expect(send.attributes['messaging.batch.message_count']).toBe(3);
    let processed: ReadableSpan[] = [];
    await expect
      .poll(() => {
        processed = otel.sdk
          .spans()
          .filter((s) => s.name === `process ${o.topic}` && parentOf(s) === send.spanContext().spanId);
        return processed.length;
      })
      .toBe(3);
    expect(processed.map((p) => p.attributes['messaging.message.id']).sort()).toEqual(
      [...receipt.eventIds].sort(),
    );
    for (const p of processed) {
      expect(p.attributes['messaging.batch.message_count']).toBe(3);
      expect(applyStatusOf(p, otel.sdk.spans())).toBe('applied');
    }
  });

  it('counts applies, retries, dead letters, parked records, refusals and lag after a run', async () => {
    const name = `otel-m-${id}`;
    const o = await started(orders(name));
    const svc = { 'lty.service': name };
    const sends = [
      { orderId: `ok-1-${id}` },
      { orderId: `ok-2-${id}` },
      { orderId: `flaky-${id}`, behaviour: 'flaky' as const },
      { orderId: `poison-${id}`, behaviour: 'poison' as const },
      // The poisoned order's next event waits behind its dead letter: parked.
      { orderId: `poison-${id}` },
    ];
    for (const input of sends) {
      const receipt = await o.send(PlaceOrder, input);
      await o.outcome(receipt.token, { timeoutMs: 30_000 });
    }
    await expect(o.send(PlaceOrder, { orderId: '' })).rejects.toMatchObject({
      code: 'LTY_COMMAND_VALIDATION',
    });

    const m = await otel.sdk.metrics();
    expect(sumOf(m.get(METRICS.applied.name), svc)).toBe(3);
    expect(sumOf(m.get(METRICS.retries.name), svc)).toBe(2);
    expect(sumOf(m.get(METRICS.deadLettered.name), svc)).toBe(1);
    expect(sumOf(m.get(METRICS.parked.name), svc)).toBe(1);
    expect(sumOf(m.get(METRICS.duplicates.name), svc)).toBe(0);
    expect(sumOf(m.get(METRICS.eventsRejected.name), svc)).toBe(0);
    expect(m.get(METRICS.relayed.name)?.dataPoints).toHaveLength(1);
    expect(sumOf(m.get(METRICS.rejected.name), { ...svc, 'error.type': 'LTY_COMMAND_VALIDATION' })).toBe(1);
    expect(sumOf(m.get(METRICS.inFlightSends.name), svc)).toBe(0);
    expect(sumOf(m.get(METRICS.relayBacklog.name), svc)).toBe(0);
    // Histograms count observations: six sends (one refused), three applies.
    expect(sumOf(m.get(METRICS.sendDuration.name), { ...svc, 'lty.command': 'PlaceOrder' })).toBe(6);
    expect(sumOf(m.get(METRICS.applyLatency.name), { 'messaging.consumer.group.name': `${name}.self` })).toBe(
      3,
    );
    expect(m.get(METRICS.applyLatency.name)!.descriptor.unit).toBe('s');

    // Lag per owned partition: every partition of the topic is reported, and all caught up once committed.
    await expect
      .poll(
        async () => {
          const lag = (await otel.sdk.metrics()).get(METRICS.lag.name);
          const points = lag?.dataPoints.filter((p) => p.attributes['lty.service'] === name) ?? [];
          return points.length > 0 && points.every((p) => (p.value as number) <= 1) ? points.length : 0;
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBeGreaterThan(0);
    const timeLag = (await otel.sdk.metrics()).get(METRICS.timeLag.name)!;
    const ours = timeLag.dataPoints.filter((p) => p.attributes['lty.service'] === name);
    expect(ours.length).toBeGreaterThan(0);
    for (const p of ours) expect(p.value).toBe(0);

    // The dead letter's span says why, under the record's CONSUMER span.
    const dl = otel.sdk
      .spans()
      .filter(
        (s) => s.name === 'lty.dead_letter' && s.attributes['lty.dead_letter.reason'] === 'non-retryable',
      );
    expect(dl.length).toBeGreaterThanOrEqual(1);
    const consumer = otel.sdk.spans().find((s) => s.spanContext().spanId === parentOf(dl[dl.length - 1]!));
    expect(consumer?.name).toBe(`process ${o.topic}`);
  });
});
