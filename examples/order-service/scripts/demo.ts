// Runs the order service and the legacy service as two processes and drives a short scenario over HTTP,
// printing what happens in plain words. Exits 0 only when every step behaved as described.
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoKit } from 'example-support';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const port = Number(process.env.PORT ?? 3300);
const base = `http://127.0.0.1:${port}`;
const run = randomUUID().slice(0, 8);
const kit = demoKit({ env: { PORT: String(port) } });
const { check, until } = kit;
const http = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  kit.http(base + path, method, body, headers);

const order = (items: { sku: string; quantity: number; unitPriceCents: number }[], customerId = 'alice') => ({
  customerId,
  items,
});

async function main() {
  console.log(
    `Starting the order service and the legacy service (two services, each with its own topic; store: ${process.env.STORE ?? 'postgres'})...`,
  );
  kit.start(join(src, 'main.ts'), 'orders');
  kit.start(join(src, 'legacy', 'main.ts'), 'legacy');
  await kit.ready([`${base}/health`]);

  console.log('\n1. A customer places an order');
  const key = `demo-${run}-1`;
  const created = await http(
    'POST',
    '/orders',
    order([{ sku: 'SKU-BOOK', quantity: 2, unitPriceCents: 1500 }]),
    {
      'idempotency-key': key,
    },
  );
  check(
    created.status === 202,
    `accepted with 202 after the broker acked (ack latency ${created.ms.toFixed(1)} ms)`,
  );
  const orderId = created.json.orderId as string;
  const token = created.json.token as string;

  console.log('\n2. The same client reads its own write with the consistency token');
  const read = await http('GET', `/orders/${orderId}`, undefined, { 'consistency-token': token });
  check(
    read.status === 200 && read.json.status === 'CONFIRMED',
    `order ${orderId.slice(0, 8)}… is ${String(read.json.status)} (read waited ${read.ms.toFixed(1)} ms)`,
  );

  console.log('\n3. The client retries the same request (same Idempotency-Key)');
  const again = await http(
    'POST',
    '/orders',
    order([{ sku: 'SKU-BOOK', quantity: 2, unitPriceCents: 1500 }]),
    {
      'idempotency-key': key,
    },
  );
  const reread = await http('GET', `/orders/${orderId}`, undefined, {
    'consistency-token': again.json.token as string,
  });
  check(
    again.json.orderId === orderId && reread.json.version === 1,
    `same order id, and the store changed once (version ${String(reread.json.version)})`,
  );

  console.log('\n4. Bad input is refused before anything is written');
  const invalid = await http('POST', '/orders', { customerId: '', items: [] });
  const issues = (invalid.json.issues as { path: string[]; message: string }[] | undefined) ?? [];
  check(
    invalid.status === 400 && issues.length >= 2,
    `400 with every problem listed: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
  );
  const stranger = await http(
    'POST',
    '/orders',
    order([{ sku: 'SKU-PEN', quantity: 1, unitPriceCents: 200 }], 'mallory'),
  );
  check(stranger.status === 422, `422 for an unknown customer: ${String(stranger.json.reason)}`);

  console.log('\n5. An order the legacy system refuses is compensated');
  const t0 = performance.now();
  const odd = await http(
    'POST',
    '/orders',
    order([{ sku: 'SKU-UNICORN', quantity: 1, unitPriceCents: 999 }]),
    {
      'idempotency-key': `demo-${run}-2`,
    },
  );
  const rejected = await until(async () => {
    const r = await http('GET', `/orders/${odd.json.orderId as string}`);
    return r.json.status === 'REJECTED' ? r.json : undefined;
  }, 20_000);
  check(
    rejected !== undefined,
    `order accepted (202), mirrored by the legacy service, refused there (its own event on its own topic), and ended REJECTED in ${(performance.now() - t0).toFixed(0)} ms: ${String(rejected?.note)} (history ${JSON.stringify(rejected?.history)})`,
  );

  console.log('\n6. The customer cancels the first order');
  const cancel = await http('POST', `/orders/${orderId}/cancel`, {});
  const cancelled = await http('GET', `/orders/${orderId}`, undefined, {
    'consistency-token': cancel.json.token as string,
  });
  check(
    cancelled.json.status === 'CANCELLED',
    `order is ${String(cancelled.json.status)} (history ${JSON.stringify(cancelled.json.history)})`,
  );

  console.log('\n7. A burst of 200 orders from 20 clients');
  const acks: number[] = [];
  const accepted: { orderId: string; token: string }[] = [];
  const t1 = performance.now();
  await Promise.all(
    Array.from({ length: 20 }, async (_, c) => {
      for (let i = 0; i < 10; i++) {
        const r = await http(
          'POST',
          '/orders',
          order([{ sku: 'SKU-MUG', quantity: 1, unitPriceCents: 800 }], `customer-${c}`),
          {
            'idempotency-key': `demo-${run}-burst-${c}-${i}`,
          },
        );
        if (r.status === 202) {
          acks.push(r.ms);
          accepted.push({ orderId: r.json.orderId as string, token: r.json.token as string });
        }
      }
    }),
  );
  const sendMs = performance.now() - t1;
  let confirmed = 0;
  for (const a of accepted) {
    const r = await http('GET', `/orders/${a.orderId}`, undefined, { 'consistency-token': a.token });
    if (r.status === 200 && r.json.status === 'CONFIRMED') confirmed++;
  }
  acks.sort((a, b) => a - b);
  const pct = (p: number) => acks[Math.min(acks.length - 1, Math.floor(p * acks.length))]!.toFixed(1);
  check(
    acks.length === 200 && confirmed === 200,
    `${acks.length} accepted and ${confirmed} read back CONFIRMED in ${sendMs.toFixed(0)} ms; ack latency p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms; all applied ${(performance.now() - t1).toFixed(0)} ms after the first send`,
  );

  const health = await http('GET', '/health');
  console.log(
    `\nSelf-subscriber: ${String(health.json.applied)} events applied, ${String(health.json.duplicates)} duplicates skipped, ${String(health.json.deadLettered)} dead-lettered.`,
  );
}

await kit.run('Order demo', main);
