import { TransportError } from '@listen-to-yourself/core';
import { type TopicSpec } from '@listen-to-yourself/core/transport-kit';
import type { ConfluentAdmin, ConfluentKafka } from './confluent-client';
import { toTransportError } from './confluent-errors';

/** librdkafka's "unknown topic or partition", as the broker (3) and the client (-188) report it. */
const UNKNOWN_TOPIC = new Set([3, -188]);

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The admin side of the transport: topics, partition counts and offsets. */
export interface TransportAdmin {
  connect(): Promise<void>;
  close(): Promise<void>;
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** 0 for a topic that does not exist (what the framework's callers check for). */
  partitionCount(topic: string): Promise<number>;
  committedOffsets(groupId: string, topic: string): Promise<Map<number, string>>;
  endOffsets(topic: string): Promise<Map<number, string>>;
}

/** Wraps the client's admin; every call fails with a TransportError after `timeoutMs`. */
export function createConfluentAdmin(kafka: ConfluentKafka, timeoutMs: number): TransportAdmin {
  let admin: ConfluentAdmin | undefined;
  const partitionCounts = new Map<string, number>();

  async function call<T>(what: string, fn: (a: ConfluentAdmin) => Promise<T>): Promise<T> {
    if (!admin) throw new TransportError(`${what}: the transport is not connected`, { retriable: false });
    try {
      return await fn(admin);
    } catch (err) {
      throw toTransportError(what, err);
    }
  }

  async function partitionCount(topic: string): Promise<number> {
    const known = partitionCounts.get(topic);
    if (known !== undefined) return known;
    try {
      const [meta] = await call(`metadata of ${topic}`, (a) =>
        a.fetchTopicMetadata({ topics: [topic], timeout: timeoutMs }),
      );
      const count = meta?.partitions.length ?? 0;
      if (count > 0) partitionCounts.set(topic, count);
      return count;
    } catch (err) {
      if (UNKNOWN_TOPIC.has((err as { cause?: { code?: number } }).cause?.code ?? 0)) return 0;
      throw err;
    }
  }

  // createTopics here cannot wait for leaders (kafkajs' waitForLeaders): poll the metadata instead, so the topic
  // is usable once ensureTopics resolves.
  async function waitForLeaders(topics: readonly TopicSpec[]): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const meta = await call('metadata of new topics', (a) =>
        a.fetchTopicMetadata({ topics: topics.map((t) => t.topic), timeout: timeoutMs }),
      ).catch(() => []);
      const ready = topics.every((t) =>
        meta.some(
          (m) => m.name === t.topic && m.partitions.length > 0 && m.partitions.every((p) => p.leader >= 0),
        ),
      );
      if (ready) return;
      if (Date.now() > deadline) {
        throw new TransportError(`ensure topics: no leaders after ${timeoutMs} ms`, { retriable: true });
      }
      await sleep(100);
    }
  }

  return {
    async connect() {
      if (admin) return;
      const a = kafka.admin();
      await a.connect();
      admin = a;
    },
    async close() {
      const a = admin;
      admin = undefined;
      await a?.disconnect();
    },
    async ensureTopics(topics) {
      const existing = new Set(await call('list topics', (a) => a.listTopics({ timeout: timeoutMs })));
      const missing = topics.filter((t) => !existing.has(t.topic));
      if (missing.length === 0) return;
      // Resolves (false) when another instance created a topic between our list and create.
      await call('ensure topics', (a) =>
        a.createTopics({
          timeout: timeoutMs,
          topics: missing.map((t) => ({
            topic: t.topic,
            numPartitions: t.partitions,
            replicationFactor: t.replicationFactor,
            configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
          })),
        }),
      );
      await waitForLeaders(missing);
    },
    partitionCount,
    async committedOffsets(groupId, topic) {
      // requireStableOffsets: offsets of a transaction that is still completing are waited for, not skipped.
      const res = await call(`committed offsets of ${groupId}`, (a) =>
        a.fetchOffsets({ groupId, topics: [topic], timeout: timeoutMs, requireStableOffsets: true }),
      );
      const out = new Map<number, string>();
      for (const p of res.find((t) => t.topic === topic)?.partitions ?? []) {
        if (BigInt(p.offset) >= 0n) out.set(p.partition, p.offset);
      }
      return out;
    },
    async endOffsets(topic) {
      // The client reports a partition whose leader cannot answer yet (a new topic, a moving leader) as -1
      // instead of failing: ask again until every partition has an offset.
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const res = await call(`end offsets of ${topic}`, (a) =>
          a.fetchTopicOffsets(topic, { timeout: timeoutMs }),
        );
        if (res.every((p) => BigInt(p.high) >= 0n))
          return new Map(res.map((p) => [p.partition, p.high] as const));
        if (Date.now() > deadline) {
          throw new TransportError(`end offsets of ${topic}: no offset from some partition leaders`, {
            retriable: true,
          });
        }
        await sleep(100);
      }
    },
  };
}
