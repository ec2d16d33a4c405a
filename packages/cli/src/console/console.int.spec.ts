import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  asyncApiDocument,
  createService,
  deadLetters,
  defineCommand,
  defineEvent,
  inMemoryStateStore,
  NonRetryableError,
  onOwnEvent,
} from '@listen-to-yourself/core';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serviceConfig } from '../../../../scripts/services/service-config.mjs';
import { startConsoleProcess } from '../test-helpers';

const brokers = serviceConfig().kafkaBrokers;
// A test run leaves the tracked screenshots alone; `LTY_SCREENSHOT_DIR=docs/images` refreshes the docs' copies.
const shots = process.env.LTY_SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), 'lty-console-shots-'));
const chromiumPath = process.env.LTY_CHROMIUM ?? '/usr/bin/chromium';
const POISON = '<script>window.pwned = 1</script>';

const Posted = defineEvent({
  type: 'console.Posted',
  schema: z.object({ account: z.string(), seq: z.number().int(), note: z.string() }),
  key: (e) => e.account,
});
const Post = defineCommand({ name: 'Post', input: Posted.schema, toEvents: (c) => Posted.of(c) });

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
});

describe('lty console in a headless browser, against Kafka', () => {
  it('shows a dead letter as text, refuses a change without the token, redrives with it', async () => {
    const name = `it-console-${randomUUID().slice(0, 8)}`;
    const group = `${name}.self`;
    const store = inMemoryStateStore();
    let poisoned = true;
    const svc = createService({
      name,
      kafka: { brokers, maxWaitTimeMs: 100 },
      store,
      commands: [Post],
      topic: { partitions: 2 },
      handlers: [
        onOwnEvent(Posted, (s: number[] | undefined, e) => {
          if (poisoned && e.payload.note === POISON) throw new NonRetryableError(`refused ${POISON}`);
          return [...(s ?? []), e.payload.seq];
        }),
      ],
    });
    cleanup.push(() => svc.stop());
    await svc.start();
    await svc.send(Post, { account: 'k', seq: 1, note: POISON });
    await svc.send(Post, { account: 'k', seq: 2, note: 'fine' });
    await expect.poll(() => svc.stats().parked, { timeout: 30_000 }).toBe(1);

    const dir = mkdtempSync(join(tmpdir(), 'lty-console-'));
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(asyncApiDocument([svc])));
    const token = randomUUID();
    const lty = await startConsoleProcess(['--catalog', join(dir, 'catalog.json'), '--port', '0'], {
      KAFKA_BROKERS: brokers.join(','),
      LTY_CONSOLE_TOKEN: token,
    });
    cleanup.push(() => lty.stop());
    const browser: Browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    cleanup.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1100, height: 640 } });

    // Without the token: the record shows as text, no script runs, there is no control to change anything.
    await page.goto(`${lty.url}dead-letters?group=${group}`);
    expect(await page.locator('h1').textContent()).toBe(`Dead letters of ${group}`);
    expect(await page.locator('table tr').count()).toBe(3);
    expect(await page.locator('button').count()).toBe(0);
    expect(await page.locator('.mode').textContent()).toMatch(/^read-only/);
    await page.locator('table a').first().click();
    expect(await page.locator('pre.value').textContent()).toContain(POISON);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    await page.screenshot({ path: join(shots, 'console-dead-letter.png'), fullPage: true });

    // A changing request without the token (or with a wrong one) is refused, and nothing changes.
    for (const body of [`group=${group}&key=k`, `group=${group}&key=k&token=wrong`]) {
      const res = await fetch(`${lty.url}redrive`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect(res.status).toBe(403);
    }
    const dlq = deadLetters({ kafka: { brokers }, topic: `${name}.events`, groupId: group });
    cleanup.push(() => dlq.close());
    expect((await dlq.list()).length).toBe(2);
    expect(await store.get({ type: name, id: 'k' })).toBeUndefined();

    // With the token: redrive the key from the page; the service applies both events, in order.
    poisoned = false;
    await page.goto(`${lty.url}?token=${token}`);
    await page.screenshot({ path: join(shots, 'console-groups.png') });
    await page.goto(`${lty.url}dead-letters?group=${group}`);
    await page.screenshot({ path: join(shots, 'console-dead-letters.png') });
    await page.getByRole('button', { name: 'Redrive key' }).first().click();
    await page.waitForURL(/done=/).catch(async (err: unknown) => {
      throw new Error(`${String(err)}\n${page.url()}\n${await page.content()}\n${lty.output()}`);
    });
    expect(await page.locator('.flash').textContent()).toMatch(/^redrive .*: keys k; produced again 2/);
    await expect
      .poll(async () => (await store.get<number[]>({ type: name, id: 'k' }))?.state, { timeout: 30_000 })
      .toEqual([1, 2]);

    // A purge asks first, then releases the key without applying its event.
    poisoned = true;
    await svc.send(Post, { account: 'p', seq: 7, note: POISON });
    await expect.poll(async () => (await dlq.list({ key: 'p' })).length, { timeout: 30_000 }).toBe(1);
    await page.goto(`${lty.url}dead-letters?group=${group}`);
    await page.getByRole('button', { name: 'Purge key…' }).click();
    expect(await page.locator('main p').first().textContent()).toMatch(
      /^\s*Purge key p in .*This cannot be undone/s,
    );
    await page.screenshot({ path: join(shots, 'console-purge.png') });
    await page.getByRole('button', { name: 'Yes, purge' }).click();
    await page.waitForURL(/done=/);
    await expect.poll(async () => (await dlq.list()).length, { timeout: 30_000 }).toBe(0);
    expect(await store.get({ type: name, id: 'p' })).toBeUndefined();

    await page.goto(`${lty.url}catalog`);
    expect(await page.locator('table').textContent()).toContain(`${name} (${group})`);
    await page.screenshot({ path: join(shots, 'console-catalog.png') });
  }, 240_000);
});
