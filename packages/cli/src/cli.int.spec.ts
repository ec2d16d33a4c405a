import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  createService,
  defineCommand,
  defineEvent,
  HEADERS,
  inMemoryStateStore,
  NonRetryableError,
  onOwnEvent,
  type Service,
} from '@listen-to-yourself/core';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serviceConfig } from '../../../scripts/services/service-config.mjs';

const brokers = serviceConfig().kafkaBrokers;
const root = fileURLToPath(new URL('../../../', import.meta.url));
const main = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Runs the `lty` bin from source in a child process, as an operator would run the built one. */
async function lty(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const node = ['--conditions=@listen-to-yourself/source', '--import', 'tsx', main, ...args];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, node, {
      cwd: root,
      env: { ...process.env, KAFKA_BROKERS: brokers.join(',') },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const Posted = defineEvent({
  type: 'cli.Posted',
  schema: z.object({ account: z.string(), seq: z.number().int() }),
  key: (e) => e.account,
});
const Post = defineCommand({ name: 'Post', input: Posted.schema, toEvents: (c) => Posted.of(c) });

const running: Service[] = [];
afterEach(async () => {
  await Promise.allSettled(running.splice(0).map((s) => s.stop()));
});

describe('the lty CLI as a child process', () => {
  it('lists, shows, redrives and reports status', async () => {
    const name = `it-cli-${randomUUID().slice(0, 8)}`;
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
          if (poisoned && e.payload.seq === 1) throw new NonRetryableError('seq 1 is poison');
          return [...(s ?? []), e.payload.seq];
        }),
      ],
    });
    running.push(svc);
    await svc.start();
    for (const seq of [1, 2]) await svc.send(Post, { account: 'k', seq });
    await expect.poll(() => svc.stats().parked, { timeout: 20_000 }).toBe(1);

    const listed = await lty('dlq', 'list', '--service', name, '--json');
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const list = JSON.parse(listed.stdout) as { id: string; key: string; reason: string }[];
    expect(list.map((d) => [d.key, d.reason])).toEqual([
      ['k', 'non-retryable'],
      ['k', 'parked'],
    ]);

    const human = await lty('dlq', 'list', '--topic', `${name}.events`);
    expect(human.stdout).toMatch(/^2 dead letters \(1 key\)/);
    const shown = await lty('dlq', 'show', list[0]!.id, '--service', name);
    expect(shown.stdout).toMatch(/error:\s+NonRetryableError: seq 1 is poison/);

    poisoned = false;
    const redriven = await lty('dlq', 'redrive', '--key', 'k', '--service', name);
    expect(redriven.code).toBe(0);
    expect(redriven.stdout).toMatch(/1 key \(k\)\n {2}produced again, in order: 2/);
    await expect
      .poll(async () => (await store.get<number[]>({ type: name, id: 'k' }))?.state, { timeout: 20_000 })
      .toEqual([1, 2]);

    expect((await lty('dlq', 'list', '--service', name)).stdout).toMatch(/^0 dead letters/);
    const status = JSON.parse((await lty('status', '--service', name, '--json')).stdout) as {
      deadLetters: number;
      partitions: { partition: number; committed: string; end: string; lag: number }[];
    };
    expect(status.deadLetters).toBe(0);
    expect(status.partitions.map((p) => p.partition)).toEqual([0, 1]);
    // The redrive's transaction left a commit marker at the end of k's partition: lag 1 there at most.
    for (const p of status.partitions) expect(p.lag).toBeLessThanOrEqual(1);
    expect(status.partitions.reduce((n, p) => n + Number(p.committed ?? 0), 0)).toBe(5);
  }, 120_000);

  it('leaves no consumer group behind, after calls that succeed and one that fails midway', async () => {
    const name = `it-cli-groups-${randomUUID().slice(0, 8)}`;
    const svc = createService({
      name,
      kafka: { brokers, maxWaitTimeMs: 100 },
      store: inMemoryStateStore(),
      commands: [Post],
      handlers: [
        onOwnEvent(Posted, (s: number[] | undefined, e) => {
          if (e.payload.seq < 0) throw new NonRetryableError('negative');
          return [...(s ?? []), e.payload.seq];
        }),
      ],
    });
    running.push(svc);
    await svc.start();
    for (const account of ['a', 'b']) await svc.send(Post, { account, seq: -1 });
    await expect.poll(() => svc.stats().deadLettered, { timeout: 20_000 }).toBe(2);

    const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    // The service's own DLQ tail keeps its group while it runs: only lty's readers are counted.
    const readers = async () =>
      (await admin.listGroups()).groups
        .map((g) => g.groupId)
        .filter((g) => g.startsWith(`${name}.self.dlq-reader`));
    try {
      expect(await readers()).toEqual([]);
      const list = JSON.parse((await lty('dlq', 'list', '--service', name, '--json')).stdout) as {
        id: string;
      }[];
      expect(list).toHaveLength(2);
      const calls = [
        ['dlq', 'show', list[0]!.id],
        ['dlq', 'show', 'no-such-id'],
        ['status'],
        ['dlq', 'purge', '--key', 'a'],
        ['dlq', 'redrive', '--key', 'b'],
        ['dlq', 'list', '--read-timeout-ms', '1'],
      ];
      const codes: number[] = [];
      for (const args of calls) codes.push((await lty(...args, '--service', name)).code);
      // The last one gives up reading the DLQ midway (1 ms): it fails, and must clean up all the same.
      expect(codes).toEqual([0, 1, 0, 0, 0, 1]);
      expect(await readers()).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  }, 120_000);

  it('lists, shows, redrives and purges dead letters of records without a key', async () => {
    const name = `it-cli-keyless-${randomUUID().slice(0, 8)}`;
    const svc = createService({
      name,
      kafka: { brokers, maxWaitTimeMs: 100 },
      store: inMemoryStateStore(),
      commands: [Post],
      topic: { partitions: 2 },
      handlers: [onOwnEvent(Posted, (s: number[] | undefined, e) => [...(s ?? []), e.payload.seq])],
    });
    running.push(svc);
    await svc.start();
    // Written past the service: a well-formed event but no key, so no entity to apply it to.
    const producer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const ids = [randomUUID(), randomUUID()];
    for (const [i, id] of ids.entries()) {
      await producer.send({
        topic: `${name}.events`,
        acks: -1,
        messages: [
          {
            key: null,
            partition: i,
            value: JSON.stringify({ account: 'k', seq: i }),
            headers: { [HEADERS.eventId]: id, [HEADERS.eventType]: Posted.type },
          },
        ],
      });
    }
    await producer.disconnect();
    await svc.send(Post, { account: 'k', seq: 9 });
    await expect.poll(() => svc.stats().deadLettered, { timeout: 20_000 }).toBe(2);
    expect(svc.stats().parked).toBe(0);

    type Listed = {
      id: string;
      key: string;
      reason: string;
      original: { partition: number; offset: string };
    };
    const list = async () =>
      JSON.parse((await lty('dlq', 'list', '--service', name, '--json')).stdout) as Listed[];
    const before = await list();
    expect(before.map((d) => [d.id, d.key, d.reason]).sort()).toEqual(
      ids.map((id) => [id, '', 'decode']).sort(),
    );
    expect((await lty('dlq', 'list', '--service', name)).stdout).toMatch(
      /^2 dead letters \(0 keys, 2 without a key\)/,
    );
    const shown = await lty('dlq', 'show', ids[0]!, '--service', name);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/key:\s+\(no key\)/);
    expect(shown.stdout).toMatch(/has no key/);

    const redriven = JSON.parse(
      (await lty('dlq', 'redrive', '--event-id', ids[0]!, '--service', name, '--json')).stdout,
    ) as { keys: string[]; redriven: string[]; purged: string[] };
    expect(redriven).toMatchObject({ keys: [], redriven: [ids[0]], purged: [] });
    const purged = JSON.parse(
      (await lty('dlq', 'purge', '--event-id', ids[1]!, '--service', name, '--json')).stdout,
    ) as { keys: string[]; redriven: string[]; purged: string[] };
    expect(purged).toMatchObject({ keys: [], redriven: [], purged: [ids[1]] });

    // The purged one is gone. The redriven copy was produced to its partition and consumed: with no key it fails
    // again, so it is dead-lettered anew, from the copy's place, after the original place.
    await expect.poll(() => svc.stats().deadLettered, { timeout: 20_000 }).toBe(3);
    const after = await list();
    expect(after.map((d) => d.id)).toEqual([ids[0]]);
    const first = before.find((d) => d.id === ids[0])!;
    expect(after[0]!.original.partition).toBe(first.original.partition);
    expect(BigInt(after[0]!.original.offset)).toBeGreaterThan(BigInt(first.original.offset));
    // The keyed event was never held up by them.
    expect((await svc.read<number[]>({ type: name, id: 'k' }))?.state).toEqual([9]);
  }, 120_000);

  it('exits 2 and prints the usage for a bad command line', async () => {
    const bad = await lty('dlq', 'redrive', '--service', 'x');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/takes exactly one of --all, --key K or --event-id ID/);
  });
});
