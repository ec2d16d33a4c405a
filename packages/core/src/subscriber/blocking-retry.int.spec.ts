import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serviceConfig } from '../../../../scripts/services/service-config.mjs';
import { defineCommand } from '../command/define-command';
import { defineEvent } from '../event/define-event';
import { createService, type Service } from '../service/create-service';
import { inMemoryStateStore } from '../store/in-memory-state-store';
import { partitionForKey } from '../transport/partitioner';
import { onOwnEvent } from './handlers';

const brokers = serviceConfig().kafkaBrokers;
const PARTITIONS = 4;
const WAIT_MS = 8000;

const Noted = defineEvent({
  type: 'it.Noted',
  schema: z.object({ key: z.string(), seq: z.number().int() }),
  key: (e) => e.key,
});
const Note = defineCommand({ name: 'Note', input: Noted.schema, toEvents: (c) => Noted.of(c) });

const running: Service[] = [];
afterEach(async () => {
  await Promise.allSettled(running.splice(0).map((s) => s.stop()));
});

describe('a record waiting for its retry (kafkajs, one broker)', () => {
  // kafkajs fetches all partitions a broker leads in one request and fetches again only once every batch of the
  // previous fetch was handled, so a retry waited for inside its batch would hold back every partition of the
  // broker. The subscriber defers the partition instead (paused, fetched again from the failing record later).
  it('holds back its own partition only, keeps its key in order and goes on counting attempts', async () => {
    const name = `it-wait-${randomUUID().slice(0, 8)}`;
    const attemptsOfSlow: number[] = [];
    const svc = createService({
      name,
      kafka: { brokers, maxWaitTimeMs: 100 },
      store: inMemoryStateStore(),
      commands: [Note],
      topic: { partitions: PARTITIONS },
      handlers: [
        onOwnEvent(
          Noted,
          (s: string[] | undefined, e) => {
            if (e.payload.key === 'slow' && e.payload.seq === 1) {
              attemptsOfSlow.push(e.meta.attempt);
              if (e.meta.attempt === 1) throw new Error('first attempt fails');
            }
            return [...(s ?? []), String(e.payload.seq)];
          },
          { entity: 'note', retry: { maxAttempts: 2, backoff: WAIT_MS } },
        ),
      ],
    });
    running.push(svc);
    await svc.start();
    await svc.send(Note, { key: 'slow', seq: 1 });
    await expect.poll(() => attemptsOfSlow.length, { timeout: 20_000 }).toBe(1);
    const failedAt = Date.now();
    const later = await svc.send(Note, { key: 'slow', seq: 2 });

    const slowPartition = partitionForKey('slow', PARTITIONS);
    const others = Array.from({ length: 40 }, (_, i) => `k${i}`)
      .filter((k) => partitionForKey(k, PARTITIONS) !== slowPartition)
      .slice(0, 6);
    const receipts = await Promise.all(others.map((key) => svc.send(Note, { key, seq: 1 })));
    for (const r of receipts) await svc.waitForApplied(r.token, { timeoutMs: 20_000 });
    // Applied while "slow" still waits for its second attempt.
    expect(Date.now() - failedAt).toBeLessThan(WAIT_MS - 2000);
    expect(attemptsOfSlow).toEqual([1]);

    await svc.waitForApplied(later.token, { timeoutMs: 30_000 });
    expect(Date.now() - failedAt).toBeGreaterThanOrEqual(WAIT_MS - 500);
    expect(attemptsOfSlow).toEqual([1, 2]);
    expect((await svc.read<string[]>({ type: 'note', id: 'slow' }))?.state).toEqual(['1', '2']);
    expect(svc.stats().retries).toBe(1);
    expect(svc.stats().deadLettered).toBe(0);
  });

  it('dead-letters after maxAttempts when every attempt comes back after a deferral', async () => {
    const name = `it-wait-dl-${randomUUID().slice(0, 8)}`;
    const attempts: number[] = [];
    const svc = createService({
      name,
      kafka: { brokers, maxWaitTimeMs: 100 },
      store: inMemoryStateStore(),
      commands: [Note],
      handlers: [
        onOwnEvent(
          Noted,
          (_s: string[] | undefined, e) => {
            attempts.push(e.meta.attempt);
            throw new Error(`attempt ${e.meta.attempt} fails`);
          },
          { entity: 'note', retry: { maxAttempts: 3, backoff: 200 } },
        ),
      ],
    });
    running.push(svc);
    await svc.start();
    await svc.send(Note, { key: 'doomed', seq: 1 });
    await expect.poll(() => svc.stats().deadLettered, { timeout: 20_000 }).toBe(1);
    expect(attempts).toEqual([1, 2, 3]);
    expect(svc.stats().retries).toBe(2);
  });
});
