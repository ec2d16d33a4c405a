import { randomUUID } from 'node:crypto';
import type {
  Batch,
  BatchControl,
  Consumption,
  IncomingRecord,
  OutgoingRecord,
  RecordPosition,
  Transport,
} from '@listen-to-yourself/core/transport-kit';
import { afterEach, expect } from 'vitest';
import type { ResolvedTransportFeatures, TransportFactory, TransportUnderTest } from './features';

/** Partitions of the topics the suite creates. */
export const PARTITIONS = 3;
/** `max.message.bytes` of the suite's topics, so an oversized record can make a transaction abort. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/** What each group of cases receives. */
export interface TransportHarness {
  readonly features: ResolvedTransportFeatures;
  /** A new, connected client from the factory; disconnected and cleaned up after the case. */
  open(): Promise<Transport>;
  /** A new client from the factory, not connected; disconnected and cleaned up after the case. */
  unconnected(): Promise<Transport>;
  /** A fresh topic of `PARTITIONS` partitions, created through `via`. */
  topic(via: Transport): Promise<string>;
  /** Polls `check` until it returns true, for at most `features.waitMs`. */
  until(check: () => boolean | Promise<boolean>, message?: string): Promise<void>;
}

/** Registers the per-case cleanup and returns the harness the case groups share. */
export function createTransportHarness(
  factory: TransportFactory,
  features: ResolvedTransportFeatures,
): TransportHarness {
  const opened: TransportUnderTest[] = [];
  afterEach(async () => {
    const all = opened.splice(0);
    await Promise.allSettled(all.map((u) => u.transport.disconnect()));
    for (const { cleanup } of all) await cleanup?.();
  });
  return {
    features,
    async open() {
      const underTest = await factory();
      opened.push(underTest);
      await underTest.transport.connect();
      return underTest.transport;
    },
    async unconnected() {
      const underTest = await factory();
      opened.push(underTest);
      return underTest.transport;
    },
    async topic(via) {
      const topic = `transport-contract-${randomUUID()}`;
      await via.ensureTopics([
        {
          topic,
          partitions: PARTITIONS,
          replicationFactor: features.replicationFactor,
          config: { 'max.message.bytes': String(MAX_MESSAGE_BYTES) },
        },
      ]);
      return topic;
    },
    async until(check, message = 'condition') {
      await expect
        .poll(check, { timeout: features.waitMs, interval: 50, message: `waiting for ${message}` })
        .toBe(true);
    },
  };
}

/** A record whose id (also its key, value and `id` header) says who sent it. */
export function record(topic: string, partition: number, id: string = randomUUID()): OutgoingRecord {
  return { topic, partition, key: id, value: Buffer.from(`value of ${id}`), headers: { id } };
}

/** `count` records spread over the partitions in turn. */
export function records(topic: string, count: number, prefix = randomUUID().slice(0, 8)): OutgoingRecord[] {
  return Array.from({ length: count }, (_, i) => record(topic, i % PARTITIONS, `${prefix}-${i}`));
}

/** Kafka-style position key, to compare what was produced with what was read. */
export function where(r: { topic: string; partition: number; offset: string }): string {
  return `${r.topic}/${r.partition}@${r.offset}`;
}

/** The id a record of the suite carries (see `record`). */
export function idOf(r: IncomingRecord): string {
  return r.headers.id ?? '';
}

/** What a member of a group did: every record it was handed, and the commits it made. */
export interface Member {
  readonly received: IncomingRecord[];
  readonly consumption: Consumption;
  /** Ids of the records received, in arrival order (redeliveries repeat). */
  ids(): string[];
  /** Partitions it received records of. */
  partitions(): Set<number>;
}

/** How a member treats a batch: commit all of it (the default), none of it, or as a case decides. */
export type OnBatch = 'commit' | 'ignore' | ((batch: Batch, control: BatchControl) => Promise<void>);

/** Joins `groupId` on `topic` through `transport` and records what the member is handed. */
export async function join(
  transport: Transport,
  groupId: string,
  topic: string,
  onBatch: OnBatch = 'commit',
): Promise<Member> {
  const received: IncomingRecord[] = [];
  const consumption = await transport.consume({
    groupId,
    topics: [topic],
    fromBeginning: true,
    eachBatch: async (batch, control) => {
      received.push(...batch.records);
      if (onBatch === 'ignore') return;
      if (onBatch !== 'commit') return onBatch(batch, control);
      const last = batch.records.at(-1);
      if (last) await control.commit((BigInt(last.offset) + 1n).toString());
    },
  });
  return {
    received,
    consumption,
    ids: () => received.map(idOf),
    partitions: () => new Set(received.map((r) => r.partition)),
  };
}

/** A group id nobody else uses. */
export function newGroup(): string {
  return `transport-contract-${randomUUID()}`;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Reads `topic` from the beginning in a fresh group until every position in `positions` was seen. */
export async function readAt(
  h: TransportHarness,
  topic: string,
  positions: readonly RecordPosition[],
): Promise<Map<string, IncomingRecord>> {
  const reader = await join(await h.open(), newGroup(), topic);
  const byPosition = () => new Map(reader.received.map((r) => [where(r), r] as const));
  await h.until(() => positions.every((p) => byPosition().has(where(p))), 'the produced records');
  await reader.consumption.stop();
  return byPosition();
}

/** Checks that the record read at `position` is `sent`, byte for byte. */
export function expectSame(read: IncomingRecord | undefined, sent: OutgoingRecord): void {
  expect(read).toBeDefined();
  expect(read!.key?.toString()).toBe(sent.key);
  expect(read!.value?.equals(sent.value)).toBe(true);
  expect(read!.headers).toEqual(sent.headers);
  expect(read!.timestamp).toMatch(/^\d+$/);
}
