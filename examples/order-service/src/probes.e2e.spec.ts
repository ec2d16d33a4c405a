import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dropNamespace, freePort } from 'example-support';
import { afterAll, expect, it } from 'vitest';
import { configFromEnv } from './config';

// The example as it runs in production (src/main.ts in a process of its own): its probes, and its SIGTERM path.
const id = randomUUID().slice(0, 8);
const config = { ...configFromEnv(), serviceName: `orders-probes-${id}`, schema: `orders_probes_${id}` };
const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await dropNamespace(config.store, config.schema).catch(() => undefined);
});

interface Group {
  groupId: string;
  state: string;
  partitions: number[];
}

function selfGroup(body: Record<string, unknown>): Group | undefined {
  return (body.groups as Group[] | undefined)?.find((g) => g.groupId === `${config.serviceName}.self`);
}

async function launch(port: number) {
  const child = spawn(
    process.execPath,
    ['--conditions=@listen-to-yourself/source', '--import', 'tsx', main],
    {
      env: {
        ...process.env,
        ORDER_SERVICE_NAME: config.serviceName,
        ORDER_SERVICE_SCHEMA: config.schema,
        PORT: String(port),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const base = `http://127.0.0.1:${port}`;
  const get = async (path: string) => {
    const res = await fetch(base + path, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
    return res ? { status: res.status, body: (await res.json()) as Record<string, unknown> } : undefined;
  };
  const until = async (
    path: string,
    check: (r: { status: number; body: Record<string, unknown> }) => boolean,
  ) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const r = await get(path);
      if (r && check(r)) return r;
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`${path}: ${JSON.stringify(r)}\n${stderr}`);
      await new Promise((res) => setTimeout(res, 100));
    }
  };
  return { child, exited, base, until };
}

it('answers its probes from health(), and drains and exits 0 on SIGTERM, leaving its groups to the next one', async () => {
  const port = await freePort();
  const first = await launch(port);
  const live = await first.until('/health/live', (r) => r.status === 200);
  expect(['ready', 'degraded']).toContain(live.body.status);
  await first.until('/health/ready', (r) => r.status === 200);
  const res = await fetch(`${first.base}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customerId: 'alice', items: [{ sku: 'a', quantity: 1, unitPriceCents: 100 }] }),
  });
  expect(res.status).toBe(202);
  // The self group applies the order. The subscription to the legacy service's topic waits for that topic as long
  // as no legacy service created it (the service is `degraded` meanwhile, and still ready for commands).
  const ready = await first.until('/health/ready', (r) => selfGroup(r.body)?.state === 'running');
  const groups = ready.body.groups as Group[];
  expect(groups.map((g) => g.groupId).sort()).toEqual([
    `${config.serviceName}.legacy`,
    `${config.serviceName}.self`,
  ]);
  const ownPartitions = selfGroup(ready.body)!.partitions;
  expect(ownPartitions.length).toBeGreaterThan(0);
  // Its metrics, for Prometheus to scrape: the order above was one timed send.
  const scraped = await (await fetch(`${first.base}/metrics`)).text();
  const sends = scraped
    .split('\n')
    .filter(
      (l) => l.startsWith('lty_send_duration_count{') && l.includes(`lty_service="${config.serviceName}"`),
    );
  expect(sends.map((l) => l.slice(l.lastIndexOf(' ') + 1))).toEqual(['1']);

  const signalled = Date.now();
  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  expect(Date.now() - signalled).toBeLessThan(25_000);

  // A member that left on its way out is not waited for: the next instance owns every partition at once,
  // long before the 30 s session timeout a SIGKILLed member holds them for.
  const restarted = Date.now();
  const second = await launch(port);
  const running = await second.until(
    '/health/ready',
    (r) => selfGroup(r.body)?.state === 'running' && selfGroup(r.body)!.partitions.length > 0,
  );
  expect(selfGroup(running.body)!.partitions).toHaveLength(ownPartitions.length);
  expect(Date.now() - restarted).toBeLessThan(20_000);
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
}, 180_000);
