import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { dropNamespace } from 'example-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app';
import { configFromEnv } from './config';
import { legacyConfigFromEnv } from './legacy/config';
import { legacyTable } from './legacy/handlers';
import { startLegacyService, type RunningLegacy } from './legacy/service';
import { prometheusMetrics } from './metrics';
import { startOrderService, type Running } from './service';

// Fresh topics, groups and schemas per run, so runs never see each other's orders. Two services, as in
// production: each with its own name, topic and schema, listening to the other's topic.
const id = randomUUID().slice(0, 8);
const legacyConfig = {
  ...legacyConfigFromEnv(),
  serviceName: `legacy-e2e-${id}`,
  schema: `legacy_e2e_${id}`,
  ordersTopic: `orders-e2e-${id}.events`,
};
const config = {
  ...configFromEnv(),
  serviceName: `orders-e2e-${id}`,
  schema: `orders_e2e_${id}`,
  legacyTopic: `legacy-e2e-${id}.events`,
  readWaitMs: 10_000,
};
let orders: Running;
let legacy: RunningLegacy;
let app: FastifyInstance;
let base = '';
let telemetry: ReturnType<typeof prometheusMetrics> | undefined;

async function http(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const item = (sku: string, quantity = 1, unitPriceCents = 500) => ({ sku, quantity, unitPriceCents });

beforeAll(async () => {
  telemetry = prometheusMetrics();
  orders = await startOrderService(config);
  legacy = await startLegacyService(legacyConfig);
  app = buildApp(orders.service, { readWaitMs: config.readWaitMs });
  telemetry.route(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app?.close();
  await legacy?.pool.query(`DROP SCHEMA IF EXISTS "${legacyConfig.schema}" CASCADE`).catch(() => undefined);
  await legacy?.close();
  await orders?.close();
  await dropNamespace(config.store, config.schema).catch(() => undefined);
  await telemetry?.shutdown();
});

async function finalStatus(orderId: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> = {};
  await expect
    .poll(
      async () => {
        last = (await http('GET', `/orders/${orderId}`)).json;
        const legacyRow = await legacy.pool.query(
          `SELECT status FROM ${legacyTable(legacyConfig.schema)} WHERE order_id = $1`,
          [orderId],
        );
        // Settled when legacy has seen it, and a refusal has come back as REJECTED.
        const l = legacyRow.rows[0]?.status as string | undefined;
        return l === 'ACCEPTED'
          ? last.status === 'CONFIRMED'
          : l === 'REFUSED'
            ? last.status === 'REJECTED'
            : false;
      },
      { timeout: timeoutMs, interval: 100 },
    )
    .toBe(true);
  return last;
}

describe(`order service over HTTP on the real stack (${config.store.kind})`, () => {
  it('accepts an order, reads its own write, and absorbs a repeated request', async () => {
    const key = `k-${randomUUID()}`;
    const body = { customerId: 'alice', items: [item('SKU-BOOK', 2, 1500)] };
    const first = await http('POST', '/orders', body, { 'idempotency-key': key });
    expect(first.status).toBe(202);
    const read = await http('GET', `/orders/${first.json.orderId as string}`, undefined, {
      'consistency-token': first.json.token as string,
    });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ status: 'CONFIRMED', totalCents: 3000, version: 1 });

    const second = await http('POST', '/orders', body, { 'idempotency-key': key });
    expect(second.json.orderId).toBe(first.json.orderId);
    const reread = await http('GET', `/orders/${second.json.orderId as string}`, undefined, {
      'consistency-token': second.json.token as string,
    });
    expect(reread.json.version).toBe(1);

    // The same key with other input names another command: refused, and the order stays as it was.
    const other = { customerId: 'alice', items: [item('SKU-BOOK', 3, 1500)] };
    const reused = await http('POST', '/orders', other, { 'idempotency-key': key });
    expect(reused.status).toBe(422);
    expect(reused.json.error).toBe('idempotency-key-reused');
    const after = await http('GET', `/orders/${first.json.orderId as string}`);
    expect(after.json).toMatchObject({ totalCents: 3000, version: 1 });
  });

  it('refuses invalid input with every problem listed and produces nothing', async () => {
    const before = orders.service.stats().applied;
    const res = await http('POST', '/orders', { customerId: '', items: [] });
    expect(res.status).toBe(400);
    const paths = (res.json.issues as { path: string[] }[]).map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['customerId', 'items']);
    const stranger = await http('POST', '/orders', { customerId: 'mallory', items: [item('SKU-PEN')] });
    expect(stranger.status).toBe(422);
    const bogusToken = await http('GET', `/orders/${randomUUID()}`, undefined, {
      'consistency-token': 'nope',
    });
    expect(bogusToken.status).toBe(400);
    // An id no store can hold names no order: 404 at once, not the store's error.
    const unstorable = await http('GET', `/orders/${encodeURIComponent('a\u0000b')}`);
    expect(unstorable.status).toBe(404);
    expect(orders.service.stats().applied).toBe(before);
  });

  it('compensates an order the legacy system refuses: it ends REJECTED', async () => {
    const res = await http(
      'POST',
      '/orders',
      { customerId: 'bob', items: [item('SKU-UNICORN')] },
      { 'idempotency-key': randomUUID() },
    );
    expect(res.status).toBe(202);
    const final = await finalStatus(res.json.orderId as string);
    expect(final).toMatchObject({ status: 'REJECTED', history: ['CONFIRMED', 'REJECTED'] });
    expect(String(final.note)).toContain('unknown SKU SKU-UNICORN');
    // The refusal travelled as the legacy service's own event on its own topic, and came back as the order
    // service's own OrderRejected on its topic: each wrote only to what it owns.
    expect(legacy.service.stats().emitted).toBeGreaterThanOrEqual(1);
    expect(orders.service.stats().emitted).toBeGreaterThanOrEqual(1);
  });

  it('refuses at apply time the order over the credit limit: 409 through the token, announced to legacy', async () => {
    // dave buys on account with 200.00 of credit: two orders of 150.00 sent at once cannot both fit.
    const body = { customerId: 'dave', items: [item('SKU-BOOK', 3, 5000)] };
    const sent = await Promise.all(
      [0, 1].map(() => http('POST', '/orders', body, { 'idempotency-key': randomUUID() })),
    );
    expect(sent.map((s) => s.status)).toEqual([202, 202]);
    const reads = await Promise.all(
      sent.map((s) =>
        http('GET', `/orders/${s.json.orderId as string}`, undefined, {
          'consistency-token': s.json.token as string,
        }),
      ),
    );
    expect(reads.map((r) => r.status).sort()).toEqual([200, 409]);
    const refused = sent[reads.findIndex((r) => r.status === 409)]!;
    const placed = sent[reads.findIndex((r) => r.status === 200)]!;
    expect(reads.find((r) => r.status === 409)!.json).toMatchObject({
      error: 'refused',
      reason: 'credit limit exceeded',
    });
    expect(reads.find((r) => r.status === 200)!.json).toMatchObject({
      status: 'CONFIRMED',
      totalCents: 15_000,
    });
    // The refusal is announced: the order ends REJECTED, and the legacy service, which had taken the order,
    // drops it with the reason.
    const table = legacyTable(legacyConfig.schema);
    const legacyRow = async (orderId: string) =>
      (await legacy.pool.query(`SELECT status, reason FROM ${table} WHERE order_id = $1`, [orderId]))
        .rows[0] as { status: string; reason: string | null } | undefined;
    await expect
      .poll(() => legacyRow(refused.json.orderId as string), { timeout: 30_000, interval: 100 })
      .toEqual({ status: 'CANCELLED', reason: 'credit limit exceeded' });
    await expect
      .poll(async () => (await http('GET', `/orders/${refused.json.orderId as string}`)).json, {
        timeout: 30_000,
        interval: 100,
      })
      .toMatchObject({
        status: 'REJECTED',
        history: ['CONFIRMED', 'REJECTED'],
        note: 'credit limit exceeded',
      });
    expect(await legacyRow(placed.json.orderId as string)).toMatchObject({ status: 'ACCEPTED' });
  });

  it('applies a create and an immediate cancel of one order in order', async () => {
    const res = await http(
      'POST',
      '/orders',
      { customerId: 'carol', items: [item('SKU-LAMP')] },
      { 'idempotency-key': randomUUID() },
    );
    const cancel = await http('POST', `/orders/${res.json.orderId as string}/cancel`, {});
    expect(cancel.status).toBe(202);
    const read = await http('GET', `/orders/${res.json.orderId as string}`, undefined, {
      'consistency-token': cancel.json.token as string,
    });
    expect(read.json).toMatchObject({
      status: 'CANCELLED',
      history: ['CONFIRMED', 'CANCELLED'],
      totalCents: 500,
    });
  });

  it('ends each of 500 concurrent orders from 50 clients CONFIRMED or REJECTED exactly once, in both stores', async () => {
    const accepted: { orderId: string; refused: boolean }[] = [];
    await Promise.all(
      Array.from({ length: 50 }, async (_, c) => {
        for (let i = 0; i < 10; i++) {
          // Every 7th order has a SKU the legacy system does not know.
          const refused = (c * 10 + i) % 7 === 0;
          const res = await http(
            'POST',
            '/orders',
            { customerId: `customer-${c}`, items: [item(refused ? 'SKU-GHOST' : 'SKU-MUG')] },
            { 'idempotency-key': `burst-${id}-${c}-${i}` },
          );
          expect(res.status).toBe(202);
          accepted.push({ orderId: res.json.orderId as string, refused });
        }
      }),
    );
    expect(accepted).toHaveLength(500);
    const table = legacyTable(legacyConfig.schema);
    await expect
      .poll(async () => Number((await legacy.pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n), {
        timeout: 60_000,
        interval: 250,
      })
      .toBeGreaterThanOrEqual(500);
    for (const a of accepted) {
      const final = await finalStatus(a.orderId);
      expect(final.status).toBe(a.refused ? 'REJECTED' : 'CONFIRMED');
      expect(final.version).toBe(a.refused ? 2 : 1);
    }
    const legacyRows = await legacy.pool.query<{ status: string; n: string }>(
      `SELECT status, count(*) AS n FROM ${table} WHERE order_id = ANY($1::uuid[]) GROUP BY status`,
      [accepted.map((a) => a.orderId)],
    );
    const byStatus = Object.fromEntries(legacyRows.rows.map((r) => [r.status, Number(r.n)]));
    const refusedCount = accepted.filter((a) => a.refused).length;
    expect(byStatus).toEqual({ ACCEPTED: 500 - refusedCount, REFUSED: refusedCount });
  }, 180_000);

  it('serves its metrics at /metrics in the Prometheus text format', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const service = `lty_service="${config.serviceName}"`;
    const value = (metric: string, ...labels: string[]) => {
      const line = text
        .split('\n')
        .find((l) => l.startsWith(`${metric}{`) && labels.every((label) => l.includes(label)));
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    // The orders above: every event of this service applied, each send timed, the invalid one refused.
    expect(value('lty_events_applied_total', service)).toBeGreaterThanOrEqual(500);
    expect(value('lty_send_duration_count', service, 'lty_command="CreateOrder"')).toBeGreaterThanOrEqual(
      500,
    );
    expect(value('lty_commands_rejected_total', service, 'error_type="LTY_COMMAND_VALIDATION"')).toBe(1);
    expect(
      value('lty_apply_latency_count', `messaging_consumer_group_name="${config.serviceName}.self"`),
    ).toBeGreaterThanOrEqual(500);
    expect(value('lty_events_dead_lettered_total', service)).toBe(0);
    expect(value('lty_send_in_flight', service)).toBe(0);
    expect(value('lty_relay_backlog', service)).toBe(0);
    // Lag of the partitions this instance owns, in records and in seconds, for both of its groups.
    for (const group of [`${config.serviceName}.self`, `${config.serviceName}.legacy`]) {
      const label = `messaging_consumer_group_name="${group}"`;
      expect(value('lty_consumer_lag', service, label), group).toBeGreaterThanOrEqual(0);
      expect(value('lty_consumer_time_lag', service, label), group).toBeGreaterThanOrEqual(0);
    }
  });
});
