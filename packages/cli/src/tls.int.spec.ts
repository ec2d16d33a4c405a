import { randomUUID } from 'node:crypto';
import {
  createService,
  defineCommand,
  defineEvent,
  inMemoryStateStore,
  NonRetryableError,
  onOwnEvent,
} from '@listen-to-yourself/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tlsKafka } from '../../../test/helpers/tls-kafka';
import { runLty, startConsoleProcess } from './test-helpers';

// A broker of this test's own whose only client listener speaks TLS (self-signed certificate); never 9092.
const broker = tlsKafka(9193);
const cleanup: (() => Promise<unknown>)[] = [];
beforeAll(() => broker.up(), 150_000);
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
  await broker.destroy();
}, 60_000);

const Noted = defineEvent({
  type: 'tls.Noted',
  schema: z.object({ id: z.string(), bad: z.boolean() }),
  key: (e) => e.id,
});
const Note = defineCommand({ name: 'Note', input: Noted.schema, toEvents: (c) => Noted.of(c) });

describe('lty against a broker that only speaks TLS', () => {
  it('reads status and dead letters, and serves the console, with --ssl-ca; fails without TLS', async () => {
    const name = `it-tls-${randomUUID().slice(0, 8)}`;
    const svc = createService({
      name,
      kafka: { brokers: broker.brokers, ssl: { ca: [broker.ca] }, maxWaitTimeMs: 100 },
      store: inMemoryStateStore(),
      commands: [Note],
      topic: { partitions: 1 },
      handlers: [
        onOwnEvent(Noted, (_s: boolean | undefined, e) => {
          if (e.payload.bad) throw new NonRetryableError('bad note');
          return true;
        }),
      ],
    });
    cleanup.push(() => svc.stop());
    await svc.start();
    await svc.send(Note, { id: 'n1', bad: true });
    await expect.poll(() => svc.stats().deadLettered, { timeout: 30_000 }).toBe(1);

    const env = { KAFKA_BROKERS: broker.brokers.join(',') };
    const status = await runLty(['status', '--service', name, '--ssl-ca', broker.caFile, '--json'], env);
    expect(status.stderr).toBe('');
    expect(JSON.parse(status.stdout)).toMatchObject({
      groupId: `${name}.self`,
      deadLetters: 1,
      parkedKeys: 1,
    });
    const list = await runLty(['dlq', 'list', '--service', name], { ...env, KAFKA_SSL_CA: broker.caFile });
    expect(list.stdout).toMatch(/^1 dead letter \(1 key\)/);

    const lty = await startConsoleProcess(['--service', name, '--port', '0', '--ssl-ca', broker.caFile], env);
    cleanup.push(() => lty.stop());
    const page = await (await fetch(`${lty.url}dead-letters?group=${name}.self`)).text();
    expect(page).toContain('1 dead letter in 1 parked key');
    expect(page).toContain('bad note');

    // The same commands without TLS settings cannot talk to this broker.
    const plain = await runLty(['status', '--service', name], env);
    expect(plain.code).toBe(1);
  }, 240_000);
});
