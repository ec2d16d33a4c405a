import type { DeadLetter, DeadLetters } from '@listen-to-yourself/core';
import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from './args';
import { run, type CliIo } from './run';

const env = { KAFKA_BROKERS: '127.0.0.1:9092' };

describe('parseCli', () => {
  it('derives topic and group from --service, brokers from the environment', () => {
    expect(parseCli(['dlq', 'list', '--service', 'orders'], env)).toEqual({
      command: { kind: 'list' },
      target: {
        brokers: ['127.0.0.1:9092'],
        topic: 'orders.events',
        groupId: 'orders.self',
        dlqTopic: undefined,
        readTimeoutMs: undefined,
        security: {},
      },
      json: false,
    });
  });

  it('derives the group from a <name>.events topic; flags win over the environment', () => {
    const parsed = parseCli(['status', '--topic', 'a.events', '--brokers', 'h1:1,h2:2', '--json'], {
      ...env,
      LTY_TOPIC: 'ignored.events',
    });
    expect(parsed.target).toMatchObject({ brokers: ['h1:1', 'h2:2'], topic: 'a.events', groupId: 'a.self' });
    expect(parsed.json).toBe(true);
  });

  it('reads --read-timeout-ms, and refuses one that is not a whole number of milliseconds', () => {
    const argv = (ms: string) => ['status', '--service', 's', `--read-timeout-ms=${ms}`];
    expect(parseCli(argv('2500'), env).target?.readTimeoutMs).toBe(2500);
    for (const bad of ['soon', '-1', '1.5', '']) {
      expect(() => parseCli(argv(bad), env)).toThrow(/--read-timeout-ms: give a whole number/);
    }
  });

  it("takes --key '' as the filter for dead letters without a key", () => {
    expect(parseCli(['dlq', 'list', '--key', '', '--service', 's'], env).command).toEqual({
      kind: 'list',
      key: '',
    });
  });

  it("opens a subscription's own DLQ and redrive topic from --subscriber, --topic and --group", () => {
    const argv = ['dlq', 'list', '--subscriber', 'legacy', '--topic', 'orders.events', '--group', 'orders'];
    expect(parseCli(argv, env).target).toMatchObject({
      brokers: ['127.0.0.1:9092'],
      topic: 'orders.events',
      groupId: 'orders',
      dlqTopic: 'legacy.orders.dlq',
      redriveTopic: 'legacy.orders.redrive',
    });
    const prefixed = parseCli([...argv.slice(0, -1), 'legacy.orders'], env).target;
    expect(prefixed).toMatchObject({ dlqTopic: 'legacy.orders.dlq', redriveTopic: 'legacy.orders.redrive' });
    // No <name>.self default for a subscription, and --service with --subscriber is a usage error.
    expect(() => parseCli(argv.slice(0, -2), env)).toThrow(/give --group/);
    expect(() => parseCli([...argv, '--service', 'x'], env)).toThrow(/not both/);
  });

  it.each([
    [['dlq', 'redrive', '--all'], { all: true }],
    [['dlq', 'redrive', '--key', 'k'], { key: 'k' }],
    [['dlq', 'purge', '--event-id', 'e1'], { eventId: 'e1' }],
  ])('reads the selection of %j', (argv, selection) => {
    expect(parseCli([...argv, '--service', 's'], env).command).toMatchObject({ selection });
  });

  it('reports every problem at once', () => {
    const err = (() => {
      try {
        parseCli(['dlq', 'redrive', '--all', '--key', 'k'], {});
      } catch (e) {
        return e;
      }
    })() as UsageError;
    expect(err).toBeInstanceOf(UsageError);
    expect(err.problems).toEqual([
      'lty dlq redrive takes exactly one of --all, --key K or --event-id ID',
      'give --brokers or set KAFKA_BROKERS',
      'give --topic, --service or set LTY_TOPIC',
      'give --group, --service or set LTY_GROUP',
    ]);
  });

  it('rejects unknown commands, options and reasons', () => {
    expect(() => parseCli(['dlq', 'frobnicate', '--service', 's'], env)).toThrow(/unknown command/);
    expect(() => parseCli(['dlq', 'list', '--nope'], env)).toThrow(UsageError);
    expect(() => parseCli(['dlq', 'list', '--reason', 'bad', '--service', 's'], env)).toThrow(/--reason/);
  });
});

const letter: DeadLetter = {
  id: 'e1',
  eventId: 'e1',
  key: 'k',
  eventType: 'x.Happened',
  reason: 'handler',
  original: { topic: 's.events', partition: 2, offset: '7', timestamp: '1' },
  dlq: { topic: 's.events.dlq', partition: 2, offset: '0' },
  copies: 2,
  attempts: 5,
  error: { class: 'RetriesExhaustedError', message: 'boom', stack: 'RetriesExhaustedError: boom' },
  firstFailureAt: '2025-01-01T00:00:00.000Z',
  lastFailureAt: '2025-01-01T00:00:01.000Z',
  headers: { 'lty-event-id': 'e1' },
  value: Buffer.from('{"a":1}'),
};

function fake(): DeadLetters & { closed: boolean } {
  const f = {
    closed: false,
    list: async () => [letter],
    show: async (id: string) => (id === 'e1' ? letter : undefined),
    redrive: async () => ({ redriveId: 'r1', keys: ['k'], redriven: ['e1'], purged: [] }),
    purge: async () => ({ redriveId: 'r2', keys: [], redriven: [], purged: [] }),
    status: async () => ({
      topic: 's.events',
      groupId: 's.self',
      dlqTopic: 's.events.dlq',
      partitions: [{ partition: 0, committed: '3', end: '5', lag: 2 }],
      lag: 2,
      deadLetters: 1,
      parkedKeys: 1,
    }),
    close: async () => void (f.closed = true),
  };
  return f;
}

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env };
  const dlq = fake();
  const code = await run([...argv, '--service', 's'], io, () => dlq);
  return { code, stdout, stderr, closed: dlq.closed };
}

describe('run', () => {
  it('lists as a table, or as JSON with the value in base64', async () => {
    const human = await cli(['dlq', 'list']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^1 dead letter \(1 key\) in s\.events\.dlq for group s\.self/);
    expect(human.stdout).toMatch(/e1\s+k\s+handler\s+x\.Happened\s+2@7\s+2\s+boom/);
    expect(human.closed).toBe(true);
    const json = await cli(['dlq', 'list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ id: 'e1', valueBase64: Buffer.from('{"a":1}').toString('base64') }),
    ]);
  });

  it('shows one dead letter, and exits 1 for an unknown id', async () => {
    const shown = await cli(['dlq', 'show', 'e1']);
    expect(shown.stdout).toMatch(/error:\s+RetriesExhaustedError: boom/);
    expect(shown.stdout).toMatch(/value:\n {2}\{"a":1\}/);
    const missing = await cli(['dlq', 'show', 'nope']);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toMatch(/no outstanding dead letter with id nope/);
  });

  it('redrives, purges and reports status', async () => {
    expect((await cli(['dlq', 'redrive', '--key', 'k'])).stdout).toMatch(/redrive r1: 1 key \(k\)/);
    expect((await cli(['dlq', 'purge', '--all'])).stdout).toMatch(/nothing to purge/);
    const status = await cli(['status']);
    expect(status.stdout).toMatch(/group s\.self on s\.events: lag 2/);
    expect(status.stdout).toMatch(/0\s+3\s+5\s+2/);
  });

  it('exits 2 with the usage on a bad command line', async () => {
    const bad = await cli(['dlq', 'redrive']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/takes exactly one of/);
    expect(bad.stderr).toMatch(/Usage:/);
  });
});
