import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../command/define-command';
import { DLQ_HEADERS } from '../dlq/dead-letter';
import { TransientError } from '../errors/errors';
import { isLtyError } from '../errors/lty-error';
import { defineEvent, type EventDefinition } from '../event/define-event';
import type { ConsumedEvent } from '../event/envelope';
import { HEADERS } from '../event/headers';
import { inMemoryStateStore } from '../store/in-memory-state-store';
import { onEvent, onOwnEvent, type AnyHandler } from '../subscriber/handlers';
import { inMemoryTransport } from '../transport/in-memory-transport';
import { partitionForKey } from '../transport/partitioner';
import { createService, type Service } from './create-service';
import { joined } from './test-joined';

const TOPIC = 'bank.events';
const SELF = 'bank.self';
const PARTITIONS = 4;

interface Account {
  balance: number;
}
type Movement = { account: string; amount: number };

const movement = z.object({ account: z.string().min(1), amount: z.number().int().positive() });
const Credited = defineEvent({ type: 'bank.Credited', schema: movement, key: (e) => e.account });
const Debited = defineEvent({ type: 'bank.Debited', schema: movement, key: (e) => e.account });
const BonusGranted = defineEvent({ type: 'bank.BonusGranted', schema: movement, key: (e) => e.account });

const Credit = defineCommand({ name: 'Credit', input: movement, toEvents: (c) => Credited.of(c) });
const Transfer = defineCommand({
  name: 'Transfer',
  input: z.object({ from: z.string(), to: z.string(), amount: z.number().int().positive() }),
  toEvents: (c) => [
    Debited.of({ account: c.from, amount: c.amount }),
    Credited.of({ account: c.to, amount: c.amount }),
  ],
});

/** Adds (or subtracts) the amount; `before` runs first, so a test can make the handler fail. */
function balanceHandler(
  def: EventDefinition<Movement>,
  sign: 1 | -1,
  before: (e: ConsumedEvent<Movement>) => void = () => undefined,
  maxAttempts = 3,
) {
  return onOwnEvent(
    def,
    (s: Account | undefined, e) => {
      before(e);
      return { balance: (s?.balance ?? 0) + sign * e.payload.amount };
    },
    { retry: { maxAttempts, backoff: 1 } },
  );
}

const services: Service[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

async function bank(handlers: AnyHandler[] = [balanceHandler(Credited, 1), balanceHandler(Debited, -1)]) {
  const transport = inMemoryTransport();
  const store = inMemoryStateStore();
  const service = createService({
    name: 'bank',
    transport,
    store,
    commands: [Credit, Transfer],
    handlers,
    topic: { partitions: PARTITIONS },
    transientMaxDelayMs: 5,
  });
  services.push(service);
  await service.start();
  await joined(service);
  const balance = async (account: string) =>
    (await service.read<Account>({ type: 'bank', id: account }))?.state.balance;
  const version = async (account: string) =>
    (await service.read<Account>({ type: 'bank', id: account }))?.version;
  return { service, transport, store, balance, version };
}

/** Two account names whose events land on different partitions. */
function accountsOnTwoPartitions(): [string, string] {
  const first = 'acc-0';
  for (let i = 1; ; i++) {
    const other = `acc-${i}`;
    if (partitionForKey(other, PARTITIONS) !== partitionForKey(first, PARTITIONS)) return [first, other];
  }
}

const rawRecord = (headers: Record<string, string>, value: string) => ({
  topic: TOPIC,
  partition: 1,
  key: 'raw',
  value: Buffer.from(value),
  headers,
});

describe('createService on the in-memory transport and store', () => {
  it('sends, waits for the token, then reads its own write', async () => {
    const { service, balance } = await bank();
    const receipt = await service.send(Credit, { account: 'a', amount: 5 });
    expect(receipt.eventIds).toHaveLength(1);
    expect(receipt.positions).toEqual([
      { topic: TOPIC, partition: partitionForKey('a', PARTITIONS), offset: '0' },
    ]);
    await service.waitForApplied(receipt.token, { timeoutMs: 2000 });
    expect(await balance('a')).toBe(5);
    expect(service.stats()).toMatchObject({ applied: 1, duplicates: 0, deadLettered: 0 });
  });

  it('waitForApplied keeps waiting through a broker it cannot reach and resolves once it answers', async () => {
    // Credited has no own handler here, so only the self group's committed offset can say it was handled.
    const { service, transport } = await bank([balanceHandler(Debited, -1)]);
    const receipt = await service.send(Credit, { account: 'a', amount: 5 });
    transport.faults.dropConnection();
    setTimeout(() => transport.faults.restoreConnection(), 300);
    await service.waitForApplied(receipt.token, { timeoutMs: 5000 });
  });

  it('waitForApplied names the last fault when its bound passes while the broker cannot be reached', async () => {
    const { service, transport } = await bank([balanceHandler(Debited, -1)]);
    const receipt = await service.send(Credit, { account: 'a', amount: 5 });
    transport.faults.dropConnection();
    const err = await service.waitForApplied(receipt.token, { timeoutMs: 300 }).catch((e: unknown) => e);
    transport.faults.restoreConnection();
    expect(isLtyError(err, 'LTY_TIMEOUT')).toBe(true);
    expect((err as Error).message).toMatch(/last fault while checking: .*committed offsets/);
  });

  it('changes the store once for the same idempotency key sent twice, and counts the duplicate', async () => {
    const { service, transport, balance, version } = await bank();
    const first = await service.send(Credit, { account: 'a', amount: 5 }, { idempotencyKey: 'pay-1' });
    const second = await service.send(Credit, { account: 'a', amount: 5 }, { idempotencyKey: 'pay-1' });
    expect(second.eventIds).toEqual(first.eventIds);
    expect(second.positions[0]!.offset).toBe('1'); // a second record on Kafka ...
    await service.waitForApplied(second.token);
    await transport.idle(SELF);
    expect(await balance('a')).toBe(5); // ... applied once
    expect(await version('a')).toBe(1);
    expect(service.stats()).toMatchObject({ applied: 1, duplicates: 1 });
  });

  it('applies once when the consumer crashes after apply and before commit', async () => {
    const { service, transport, balance, version } = await bank();
    const crashed = transport.faults.crashConsumerAfterBatch(SELF);
    await service.send(Credit, { account: 'a', amount: 5 });
    await crashed;
    await transport.idle(SELF);
    expect(await balance('a')).toBe(5);
    expect(await version('a')).toBe(1);
    expect(service.stats()).toMatchObject({ applied: 1, duplicates: 1 }); // the redelivery was recognised
  });

  it('applies once after a redelivery from an earlier offset', async () => {
    const { service, transport, balance } = await bank();
    const r1 = await service.send(Credit, { account: 'a', amount: 5 });
    await service.send(Credit, { account: 'a', amount: 7 });
    await transport.idle(SELF);
    await transport.faults.redeliver(SELF, TOPIC, r1.positions[0]!.partition, 0);
    await transport.idle(SELF);
    expect(await balance('a')).toBe(12);
    expect(service.stats()).toMatchObject({ applied: 2, duplicates: 2 });
  });

  it('retries a handler that fails twice, then applies once', async () => {
    let failures = 0;
    const flaky = balanceHandler(Credited, 1, () => {
      if (failures++ < 2) throw new Error('flaky');
    });
    const { service, transport, balance } = await bank([flaky]);
    await service.send(Credit, { account: 'a', amount: 5 });
    await transport.idle(SELF);
    expect(await balance('a')).toBe(5);
    expect(service.stats()).toMatchObject({ applied: 1, retries: 2, deadLettered: 0 });
  });

  it('lets other partitions flow while a record waits for its next attempt, which counts on from the first', async () => {
    const [slow, other] = accountsOnTwoPartitions();
    const attempts: number[] = [];
    const waitsOnce = onOwnEvent(
      Credited,
      (s: Account | undefined, e) => {
        if (e.payload.account === slow) {
          attempts.push(e.meta.attempt);
          if (e.meta.attempt === 1) throw new Error('first attempt fails');
        }
        return { balance: (s?.balance ?? 0) + e.payload.amount };
      },
      // Long enough that the other partition's event is surely applied first, even on a loaded machine.
      { retry: { maxAttempts: 2, backoff: 3000 } },
    );
    const { service, balance } = await bank([waitsOnce]);
    const waiting = await service.send(Credit, { account: slow, amount: 5 });
    await vi.waitFor(() => expect(attempts).toEqual([1]));
    const flowing = await service.send(Credit, { account: other, amount: 7 });
    await service.waitForApplied(flowing.token, { timeoutMs: 2500 });
    expect(await balance(other)).toBe(7);
    expect(await balance(slow)).toBeUndefined();
    await service.waitForApplied(waiting.token, { timeoutMs: 5000 });
    expect(await balance(slow)).toBe(5);
    expect(attempts).toEqual([1, 2]);
    expect(service.stats()).toMatchObject({ applied: 2, retries: 1, deadLettered: 0 });
  });

  it('dead-letters an always-failing event with its original bytes and kafka_dlt-* headers, and goes on', async () => {
    const picky = balanceHandler(Credited, 1, (e) => {
      if (e.payload.account === 'bad') throw new TypeError('cannot credit bad');
    });
    const { service, transport, balance } = await bank([picky]);
    const bad = await service.send(Credit, { account: 'bad', amount: 1 });
    for (const account of ['g1', 'g2', 'g3']) await service.send(Credit, { account, amount: 2 });
    await transport.idle(SELF);
    for (const account of ['g1', 'g2', 'g3']) expect(await balance(account)).toBe(2);
    expect(await balance('bad')).toBeUndefined();

    const [dead, ...more] = transport.records(`${TOPIC}.dlq`);
    expect(more).toEqual([]);
    const at = bad.positions[0]!;
    const original = transport.records(TOPIC, at.partition).find((r) => r.offset === at.offset)!;
    expect(dead!.value).toEqual(original.value);
    expect(dead!.key?.toString()).toBe('bad');
    expect(dead!.headers).toMatchObject({
      [HEADERS.eventId]: bad.eventIds[0],
      [DLQ_HEADERS.originalTopic]: TOPIC,
      [DLQ_HEADERS.originalPartition]: String(at.partition),
      [DLQ_HEADERS.originalOffset]: at.offset,
      [DLQ_HEADERS.originalTimestamp]: original.timestamp,
      [DLQ_HEADERS.originalConsumerGroup]: SELF,
      [DLQ_HEADERS.exceptionClass]: 'RetriesExhaustedError',
      [DLQ_HEADERS.reason]: 'handler',
      [DLQ_HEADERS.attempts]: '3',
    });
    expect(dead!.headers[DLQ_HEADERS.exceptionMessage]).toMatch(/cannot credit bad/);
    expect(dead!.headers[DLQ_HEADERS.exceptionStacktrace]).toMatch(/RetriesExhaustedError/);
    expect(service.stats()).toMatchObject({ applied: 3, retries: 2, deadLettered: 1 });
  });

  it.each([
    ['no type header', {}, '{"account":"raw","amount":1}', 'decode', 'DecodeError'],
    [
      'bad JSON',
      { [HEADERS.eventType]: Credited.type, [HEADERS.eventId]: 'id-1' },
      '{not json',
      'decode',
      'DecodeError',
    ],
    [
      'a payload failing its schema',
      { [HEADERS.eventType]: Credited.type, [HEADERS.eventId]: 'id-2' },
      '{"account":"raw","amount":-3}',
      'schema',
      'EventSchemaError',
    ],
  ])('dead-letters a record with %s at once', async (_, headers, value, reason, errorClass) => {
    const { service, transport, balance } = await bank();
    await transport.produce([rawRecord(headers, value)]);
    await service.send(Credit, { account: 'after', amount: 1 });
    await transport.idle(SELF);
    const dead = transport.records(`${TOPIC}.dlq`);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.value?.toString()).toBe(value);
    expect(dead[0]!.headers).toMatchObject({
      [DLQ_HEADERS.reason]: reason,
      [DLQ_HEADERS.exceptionClass]: errorClass,
    });
    expect(service.stats()).toMatchObject({ retries: 0, deadLettered: 1 });
    expect(await balance('after')).toBe(1);
  });

  it('retries a TransientError without limit and never dead-letters it', async () => {
    let outages = 0;
    const outage = balanceHandler(
      Credited,
      1,
      () => {
        if (outages++ < 4) throw new TransientError('database down');
      },
      1, // even a single allowed handler attempt does not apply to transient faults
    );
    const { service, transport, balance } = await bank([outage]);
    await service.send(Credit, { account: 'a', amount: 5 });
    await transport.idle(SELF);
    expect(await balance('a')).toBe(5);
    expect(service.stats()).toMatchObject({ applied: 1, retries: 4, deadLettered: 0 });
    expect(transport.records(`${TOPIC}.dlq`)).toEqual([]);
  });

  it('produces a command spanning partitions atomically: all or nothing, and a retry applies once', async () => {
    const { service, transport, balance } = await bank();
    const [from, to] = accountsOnTwoPartitions();
    const produce = vi.spyOn(transport, 'produce');
    const before = await transport.endOffsets(TOPIC);
    transport.faults.failNextProduce();
    const err = await service
      .send(Transfer, { from, to, amount: 3 }, { idempotencyKey: 't-1' })
      .catch((e: unknown) => e);
    expect(isLtyError(err, 'LTY_TRANSPORT') && err.retriable).toBe(true);
    expect(await transport.endOffsets(TOPIC)).toEqual(before);

    transport.faults.loseNextAck(); // written, but the caller hears a failure and retries
    await expect(
      service.send(Transfer, { from, to, amount: 3 }, { idempotencyKey: 't-1' }),
    ).rejects.toThrow();
    const receipt = await service.send(Transfer, { from, to, amount: 3 }, { idempotencyKey: 't-1' });
    expect(new Set(receipt.positions.map((p) => p.partition)).size).toBe(2);
    expect(produce.mock.calls.map(([, options]) => options)).toEqual([
      { atomic: true },
      { atomic: true },
      { atomic: true },
    ]);
    await service.waitForApplied(receipt.token);
    await transport.idle(SELF);
    expect([await balance(from), await balance(to)]).toEqual([-3, 3]);

    await service.send(Credit, { account: from, amount: 1 });
    expect(produce.mock.calls.at(-1)![1]).toEqual({ atomic: false }); // one partition: no transaction needed
  });

  it('lets an onEvent handler in its own group emit follow-up events with the consumed offset, in one produce', async () => {
    const bonus = onEvent(
      Credited,
      (e) =>
        e.payload.amount >= 100 ? [BonusGranted.of({ account: e.payload.account, amount: 10 })] : undefined,
      { group: 'bank.bonus', retry: { backoff: 1 } },
    );
    const { service, transport, balance } = await bank([
      balanceHandler(Credited, 1),
      balanceHandler(BonusGranted, 1),
      bonus,
    ]);
    const produce = vi.spyOn(transport, 'produce');
    const credit = await service.send(Credit, { account: 'a', amount: 100 });
    await service.send(Credit, { account: 'b', amount: 1 });
    await transport.idle();
    expect(await balance('a')).toBe(110);
    expect(await balance('b')).toBe(1);

    const emits = produce.mock.calls.filter(([, options]) => options?.offsets);
    expect(emits).toHaveLength(1);
    const [records, options] = emits[0]!;
    expect(records.map((r) => r.headers[HEADERS.eventType])).toEqual([BonusGranted.type]);
    expect(records[0]!.headers[HEADERS.causationId]).toBe(credit.eventIds[0]);
    expect(options!.offsets).toEqual([
      {
        groupId: 'bank.bonus',
        topic: TOPIC,
        partition: credit.positions[0]!.partition,
        offset: String(BigInt(credit.positions[0]!.offset) + 1n),
      },
    ]);
    expect(await transport.committedOffsets('bank.bonus', TOPIC)).toEqual(
      new Map([...(await transport.endOffsets(TOPIC))].filter(([, end]) => end !== '0')),
    );
    // The bonus group routes Credited only: it ignores the BonusGranted events on the same topic.
    expect(service.stats()).toMatchObject({ handled: 2, ignored: 1, emitted: 1, applied: 3 });
  });

  it('stops idempotently; send and start after stop reject with LTY_STOPPED', async () => {
    const { service, transport } = await bank();
    await Promise.all([service.stop(), service.stop()]);
    await service.stop();
    await expect(service.send(Credit, { account: 'a', amount: 1 })).rejects.toMatchObject({
      code: 'LTY_STOPPED',
    });
    await expect(service.start()).rejects.toMatchObject({ code: 'LTY_STOPPED' });
    await expect(transport.produce([])).rejects.toThrow(/not connected/); // stop() disconnected the transport
  });

  it('refuses a send before start with LTY_NOT_STARTED', async () => {
    const service = createService({ name: 'idle', transport: inMemoryTransport(), commands: [Credit] });
    await expect(service.send(Credit, { account: 'a', amount: 1 })).rejects.toMatchObject({
      code: 'LTY_NOT_STARTED',
    });
  });

  it('reports every invalid option in one ConfigError', () => {
    let caught: unknown;
    try {
      createService({
        name: 'has spaces',
        handlers: [balanceHandler(Credited, 1)],
        topic: { partitions: 0 },
        commitEveryRecords: -1,
        waitTimeoutMs: 1.5,
      });
    } catch (err) {
      caught = err;
    }
    expect(isLtyError(caught, 'LTY_CONFIG')).toBe(true);
    const issues = (caught as { issues: string[] }).issues.join('\n');
    for (const field of [
      'name',
      'topic.partitions',
      'commitEveryRecords',
      'waitTimeoutMs',
      'kafka',
      'store',
    ]) {
      expect(issues).toContain(field);
    }
  });
});
