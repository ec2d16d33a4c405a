import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serviceConfig } from '../../../../scripts/services/service-config.mjs';
import { defineCommand } from '../command/define-command';
import { deadLetters } from '../dlq/dead-letters';
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

// Two bugs other Kafka frameworks shipped in the retry state kept between a record's attempts: Spring Kafka 4.2
// reset one partition's retry count when another partition's batch succeeded, and Karafka 2.6 carried a count
// across a revoke and reclaim of the partition, dead-lettering the record early.
const MAX_ATTEMPTS = 3;

/** An instance whose handler always fails for key `bad`, noting each attempt with the instance's label. */
function instance(
  name: string,
  label: string,
  attempts: { by: string; attempt: number }[],
  backoffMs: number,
  partitions = 2,
) {
  const svc = createService({
    name,
    // The label leads the client id, so the group's round-robin assignment (by sorted member id) is predictable.
    kafka: { brokers, clientId: `${label}-${name}`, maxWaitTimeMs: 100, heartbeatIntervalMs: 500 },
    store: inMemoryStateStore(),
    commands: [Note],
    topic: { partitions },
    handlers: [
      onOwnEvent(
        Noted,
        (s: number[] | undefined, e) => {
          if (e.payload.key === 'bad') {
            attempts.push({ by: label, attempt: e.meta.attempt });
            throw new Error(`bad fails (attempt ${e.meta.attempt} on ${label})`);
          }
          return [...(s ?? []), e.payload.seq];
        },
        { entity: 'note', retry: { maxAttempts: MAX_ATTEMPTS, backoff: backoffMs } },
      ),
    ],
  });
  running.push(svc);
  return svc;
}

async function dlqAttempts(name: string): Promise<number[]> {
  const dlq = deadLetters({ kafka: { brokers }, topic: `${name}.events`, groupId: `${name}.self` });
  try {
    return (await dlq.list()).map((d) => d.attempts);
  } finally {
    await dlq.close();
  }
}

describe('retry counts kept between attempts (kafkajs, real Kafka)', () => {
  it("are not reset by a healthy batch of another partition (Spring Kafka 4.2's bug)", async () => {
    const name = `it-retry-state-${randomUUID().slice(0, 8)}`;
    const attempts: { by: string; attempt: number }[] = [];
    const svc = instance(name, 'a', attempts, 1500);
    await svc.start();
    const other = ['h0', 'h1', 'h2', 'h3', 'h4', 'h5'].find(
      (k) => partitionForKey(k, 2) !== partitionForKey('bad', 2),
    )!;
    await svc.send(Note, { key: 'bad', seq: 0 });
    // A healthy record of the other partition every 200 ms, one per batch, while `bad` waits between attempts.
    let seq = 0;
    const healthy = setInterval(
      () => void svc.send(Note, { key: other, seq: ++seq }).catch(() => undefined),
      200,
    );
    try {
      await expect.poll(() => svc.stats().deadLettered, { timeout: 30_000 }).toBe(1);
    } finally {
      clearInterval(healthy);
    }
    expect(seq, 'healthy batches ran meanwhile').toBeGreaterThan(10);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(await dlqAttempts(name)).toEqual([MAX_ATTEMPTS]);
  }, 90_000);

  it("start over on the member that gets the partition back (Karafka 2.6's bug)", async () => {
    const name = `it-retry-state-${randomUUID().slice(0, 8)}`;
    const attempts: { by: string; attempt: number }[] = [];
    // One partition: whichever member sorts first holds it.
    const owner = instance(name, 'z', attempts, 2500, 1);
    await owner.start();
    await owner.send(Note, { key: 'bad', seq: 0 });
    // Two of three attempts fail on the first owner; the record waits for its third.
    await expect.poll(() => attempts.length, { timeout: 20_000 }).toBe(2);
    // A second member sorts first, so it takes `bad`'s partition, tries it once, and leaves.
    const other = instance(name, 'a', attempts, 2500, 1);
    await other.start();
    await expect.poll(() => attempts.filter((a) => a.by === 'a').length, { timeout: 30_000 }).toBe(1);
    await other.stop();
    const reclaimedAt = attempts.length;
    await expect.poll(() => owner.stats().deadLettered, { timeout: 40_000 }).toBe(1);
    // Back on the first owner, the record gets every attempt again, not only the one its old count had left.
    expect(attempts.slice(0, reclaimedAt)).toEqual([
      { by: 'z', attempt: 1 },
      { by: 'z', attempt: 2 },
      { by: 'a', attempt: 1 },
    ]);
    expect(attempts.slice(reclaimedAt)).toEqual([1, 2, 3].map((attempt) => ({ by: 'z', attempt })));
    expect(await dlqAttempts(name)).toEqual([MAX_ATTEMPTS]);
  }, 120_000);
});
