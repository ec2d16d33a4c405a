import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runLty } from '../test-helpers';
import { loadDocuments } from './load';
import type { SystemView } from './system-view';

const examples = fileURLToPath(new URL('../../../../examples/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lty-catalog-'));

/** What `pnpm catalog` prints in an example, saved to a file. */
async function exampleCatalog(example: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/catalog.ts'], {
    cwd: join(examples, example),
    timeout: 60_000,
  });
  const file = join(dir, `${example}.json`);
  writeFileSync(file, stdout);
  return file;
}

describe("the examples' catalogs and lty catalog", { timeout: 180_000 }, () => {
  it('each example prints a document @asyncapi/parser accepts; lty catalog merges them', async () => {
    const files = [await exampleCatalog('order-service'), await exampleCatalog('fitness-tracker')];
    const docs = await loadDocuments(files);
    expect(docs.map((d) => d.document.info().title())).toEqual(['orders', 'fitness']);

    const merged = await runLty(['catalog', '--json', ...files], {});
    expect(merged.stderr).toBe('');
    const view = JSON.parse(merged.stdout) as SystemView;
    // Each example's document holds two services: orders and the legacy service that subscribes to it; the
    // fitness service and the coach that subscribes to its announcements.
    expect(view.services).toEqual(['coach', 'fitness', 'legacy', 'orders']);
    expect(view.events.find((e) => e.type === 'shop.OrderCreated')).toEqual({
      type: 'shop.OrderCreated',
      topics: ['orders.events'],
      publishers: [{ service: 'orders' }],
      subscribers: [
        { service: 'orders', group: 'orders.self' },
        { service: 'legacy', group: 'legacy.orders' },
      ],
    });
    expect(view.groups.map((g) => [g.group, g.dlqTopic])).toEqual([
      ['orders.self', 'orders.events.dlq'],
      // Subscriptions to another service's topic dead-letter to a topic of their own service.
      ['orders.legacy', 'orders.legacy.dlq'],
      ['legacy.orders', 'legacy.orders.dlq'],
      ['fitness.self', 'fitness.events.dlq'],
      ['coach.self', 'coach.events.dlq'],
      ['coach.fitness', 'coach.fitness.dlq'],
    ]);
    expect(view.events.find((e) => e.type === 'fitness.HealthModelUpdated')).toEqual({
      type: 'fitness.HealthModelUpdated',
      topics: ['fitness.events'],
      publishers: [{ service: 'fitness' }],
      subscribers: [{ service: 'coach', group: 'coach.fitness' }],
    });
    expect(view.events.find((e) => e.type === 'fitness.SyncRefused')?.subscribers).toEqual([
      { service: 'coach', group: 'coach.fitness' },
    ]);
    const text = await runLty(['catalog', ...files], {});
    expect(text.stdout).toMatch(/^4 services: coach, fitness, legacy, orders\n/);
  });

  it('lty catalog fails, naming the file, on a document with an error', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ asyncapi: '3.0.0', info: { title: 'x' }, channels: 7 }));
    const out = await runLty(['catalog', broken], {});
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`lty: ${broken}: `);
  });
});
