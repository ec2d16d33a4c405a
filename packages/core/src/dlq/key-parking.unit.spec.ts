import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../command/define-command';
import { NonRetryableError } from '../errors/errors';
import { defineEvent } from '../event/define-event';
import { createService } from '../service/create-service';
import { joined } from '../service/test-joined';
import { inMemoryStateStore, type InMemoryStateStore } from '../store/in-memory-state-store';
import { onEvent, onOwnEvent } from '../subscriber/handlers';
import { inMemoryTransport, type InMemoryTransport } from '../transport/in-memory-transport';
import { partitionForKey } from '../transport/partitioner';
import { releaseMarker } from './control-records';
import { DLQ_HEADERS } from './dead-letter';
import { deadLetters, type DeadLetters } from './dead-letters';

const TOPIC = 'ledger.events';
const DLQ = `${TOPIC}.dlq`;
const SELF = 'ledger.self';
const PARTITIONS = 4;

const Posted = defineEvent({
  type: 'ledger.Posted',
  schema: z.object({ account: z.string(), seq: z.number().int() }),
  key: (e) => e.account,
});
const Post = defineCommand({ name: 'Post', input: Posted.schema, toEvents: (c) => Posted.of(c) });

interface Ledger {
  seqs: number[];
}

/** Rejects the seqs in `poison` as NonRetryableError while they are in it. */
function ledger(transport: InMemoryTransport, store: InMemoryStateStore, poison: Set<number>) {
  return createService({
    name: 'ledger',
    transport,
    store,
    commands: [Post],
    handlers: [
      onOwnEvent(Posted, (s: Ledger | undefined, e) => {
        if (poison.has(e.payload.seq)) throw new NonRetryableError(`seq ${e.payload.seq} is poison`);
        return { seqs: [...(s?.seqs ?? []), e.payload.seq] };
      }),
    ],
    topic: { partitions: PARTITIONS },
  });
}

const open: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.stop();
});

async function setup() {
  const transport = inMemoryTransport();
  const store = inMemoryStateStore();
  const poison = new Set<number>();
  const service = ledger(transport, store, poison);
  open.push(service);
  await service.start();
  await joined(service);
  const dlq = deadLetters({ transport, topic: TOPIC, groupId: SELF });
  open.push({ stop: () => dlq.close() });
  const seqs = async (account: string) =>
    (await store.get<Ledger>({ type: 'ledger', id: account }))?.state.seqs;
  const post = (account: string, seq: number) => service.send(Post, { account, seq });
  return { transport, store, poison, service, dlq, seqs, post };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const reasons = (dlq: DeadLetters) => dlq.list().then((l) => l.map((d) => `${d.key}:${d.reason}`));

describe('key parking and redrive (in-memory transport)', () => {
  it('parks a key behind its dead letter while other keys flow, then redrives it in order', async () => {
    const { transport, poison, service, dlq, seqs, post } = await setup();
    poison.add(1);
    for (const seq of [1, 2, 3]) await post('k', seq);
    await post('other', 10);
    await transport.idle(SELF);
    expect(await seqs('other')).toEqual([10]);
    expect(await seqs('k')).toBeUndefined();
    expect(service.stats()).toMatchObject({ deadLettered: 1, parked: 2 });
    const parked = transport.records(DLQ).filter((r) => r.headers[DLQ_HEADERS.reason] === 'parked');
    expect(parked[0]!.headers).toMatchObject({
      [DLQ_HEADERS.originalTopic]: TOPIC,
      [DLQ_HEADERS.originalConsumerGroup]: SELF,
      [DLQ_HEADERS.exceptionClass]: 'KeyParkedError',
    });
    expect(await reasons(dlq)).toEqual(['k:non-retryable', 'k:parked', 'k:parked']);

    poison.clear();
    const result = await dlq.redrive({ key: 'k' });
    expect(result.keys).toEqual(['k']);
    expect(result.redriven).toHaveLength(3);
    await transport.idle(SELF);
    expect(await seqs('k')).toEqual([1, 2, 3]);
    expect(service.stats().released).toBe(1);
    expect(await dlq.list()).toEqual([]);
    await post('k', 4);
    await transport.idle(SELF);
    expect(await seqs('k')).toEqual([1, 2, 3, 4]);
  });

  it('parks the key again when a redriven event fails again, and keeps the order', async () => {
    const { transport, poison, dlq, seqs, post } = await setup();
    poison.add(2);
    for (const seq of [1, 2, 3]) await post('k', seq);
    await transport.idle(SELF);
    expect(await seqs('k')).toEqual([1]);
    await dlq.redrive({ all: true }); // still poison
    await transport.idle(SELF);
    expect(await reasons(dlq)).toEqual(['k:non-retryable', 'k:parked']);
    poison.clear();
    await dlq.redrive({ all: true });
    await transport.idle(SELF);
    expect(await seqs('k')).toEqual([1, 2, 3]);
  });

  it('purges one event by id and redrives the events that waited behind it', async () => {
    const { transport, poison, dlq, seqs, post } = await setup();
    poison.add(1);
    const first = await post('k', 1);
    await post('k', 2);
    await transport.idle(SELF);
    const result = await dlq.purge({ eventId: first.eventIds[0]! });
    expect(result.purged).toEqual(first.eventIds);
    expect(result.redriven).toHaveLength(1);
    await transport.idle(SELF);
    expect(await seqs('k')).toEqual([2]);
    expect(await dlq.list()).toEqual([]);
  });

  it('refuses a release whose run read the DLQ before more events of the key were parked', async () => {
    const { transport, poison, service, dlq, seqs, post } = await setup();
    poison.add(1);
    await post('k', 1);
    await post('k', 2);
    await transport.idle(SELF);
    // A marker whose snapshot predates every dead letter of the key: some parked events were not redriven.
    await transport.produce([
      releaseMarker({
        topic: TOPIC,
        partition: partitionForKey('k', PARTITIONS),
        key: 'k',
        groupId: SELF,
        redriveId: 'stale-run',
        snapshot: new Map(),
      }),
    ]);
    await post('k', 3);
    await transport.idle(SELF);
    const refused = transport.records(DLQ).filter((r) => r.headers[DLQ_HEADERS.control] === 'refused');
    expect(refused).toHaveLength(1);
    expect(service.stats()).toMatchObject({ released: 0, parked: 2 });
    expect(await seqs('k')).toBeUndefined();
    poison.clear();
    await dlq.redrive({ key: 'k' });
    await transport.idle(SELF);
    expect(await seqs('k')).toEqual([1, 2, 3]);
  });

  it('makes a new instance park a key another instance dead-lettered, from the DLQ alone', async () => {
    const { transport, store, poison, service, seqs, post } = await setup();
    poison.add(1);
    await post('k', 1);
    await transport.idle(SELF);
    await service.stop();
    // K@2 is waiting in the topic when the new instance starts: its first batch must wait for its DLQ tail.
    const sender = createService({
      name: 'ledger',
      transport: transport.client(),
      commands: [Post],
      subscribe: false,
    });
    open.push(sender);
    await sender.start();
    await sender.send(Post, { account: 'k', seq: 2 });
    // A slow DLQ tail: without the wait, the new instance would apply K@2 before it learns that K is parked.
    const client = transport.client();
    const slowTail: InMemoryTransport = {
      ...client,
      consume: (o) =>
        client.consume(
          o.groupId.includes('.dlq-tail.')
            ? { ...o, eachBatch: (b, c) => sleep(200).then(() => o.eachBatch(b, c)) }
            : o,
        ),
    };
    const next = ledger(slowTail, store, new Set());
    open.push(next);
    await next.start();
    await joined(next);
    await transport.idle(SELF);
    expect(next.stats()).toMatchObject({ parked: 1, applied: 0 });
    expect(await seqs('k')).toBeUndefined();
  });

  it('keeps one logical dead letter when a crash after the DLQ produce redelivers the record', async () => {
    const { transport, poison, dlq, seqs, post, store } = await setup();
    poison.add(1);
    const crashed = transport.faults.crashConsumerAfterBatch(SELF);
    await post('k', 1);
    await crashed;
    await transport.idle(SELF);
    const copies = transport.records(DLQ).filter((r) => r.key?.toString() === 'k');
    expect(copies.map((r) => r.headers[DLQ_HEADERS.reason])).toEqual(['non-retryable', 'parked']);
    const [only, ...none] = await dlq.list();
    expect(none).toEqual([]);
    expect(only!.copies).toBe(2);
    expect(only!.reason).toBe('non-retryable');
    poison.clear();
    await dlq.redrive({ eventId: only!.id });
    await transport.idle(SELF);
    expect(await seqs('k')).toEqual([1]);
    expect((await store.get({ type: 'ledger', id: 'k' }))?.version).toBe(1);
  });

  it('does not replay a redrive to other consumer groups of the topic', async () => {
    const transport = inMemoryTransport();
    const store = inMemoryStateStore();
    const poison = new Set([1]);
    const seen: number[] = [];
    const service = createService({
      name: 'ledger',
      transport,
      store,
      commands: [Post],
      topic: { partitions: PARTITIONS },
      handlers: [
        onOwnEvent(Posted, (s: Ledger | undefined, e) => {
          if (poison.has(e.payload.seq)) throw new NonRetryableError('poison');
          return { seqs: [...(s?.seqs ?? []), e.payload.seq] };
        }),
        onEvent(Posted, (e) => void seen.push(e.payload.seq), { group: 'audit' }),
      ],
    });
    open.push(service);
    await service.start();
    await joined(service);
    const dlq = deadLetters({ transport, topic: TOPIC, groupId: SELF });
    for (const seq of [1, 2]) await service.send(Post, { account: 'k', seq });
    await transport.idle();
    poison.clear();
    await dlq.redrive({ all: true });
    await transport.idle();
    expect((await store.get<Ledger>({ type: 'ledger', id: 'k' }))?.state.seqs).toEqual([1, 2]);
    expect(seen).toEqual([1, 2]);
  });

  it('reports lag, committed offsets and dead-letter counts per partition', async () => {
    const { transport, poison, dlq, post } = await setup();
    poison.add(1);
    await post('k', 1);
    await post('k', 2);
    await transport.idle(SELF);
    const status = await dlq.status();
    expect(status).toMatchObject({ topic: TOPIC, groupId: SELF, lag: 0, deadLetters: 2, parkedKeys: 1 });
    const p = status.partitions.find((x) => x.partition === partitionForKey('k', PARTITIONS))!;
    expect(p).toEqual({ partition: p.partition, committed: '2', end: '2', lag: 0 });
  });
});
