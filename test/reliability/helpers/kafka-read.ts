import { randomUUID } from 'node:crypto';
import { normaliseHeaders } from '../../../packages/core/src/event/headers';
import { Kafka, logLevel, type Admin } from 'kafkajs';

/** A record read back by an independent consumer. */
export interface ReadRecord {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

const client = (brokers: string[]) =>
  new Kafka({ brokers, clientId: 'lty-reliability', logLevel: logLevel.NOTHING });

async function withAdmin<T>(brokers: string[], fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = client(brokers).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The next offset to be written, per partition (empty when the topic does not exist). */
export async function endOffsets(brokers: string[], topic: string): Promise<Map<number, bigint>> {
  return withAdmin(brokers, async (admin) => {
    if (!(await admin.listTopics()).includes(topic)) return new Map<number, bigint>();
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((p) => [p.partition, BigInt(p.high)] as const));
  });
}

/** The group's committed offsets (next offset to read), per partition. */
export async function committedOffsets(brokers: string[], groupId: string, topic: string) {
  const res = await withAdmin(brokers, (admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
  return new Map((res[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)] as const));
}

/** Records the group has not committed yet, summed over the topic's partitions. */
export async function groupLag(brokers: string[], groupId: string, topic: string): Promise<bigint> {
  const ends = await endOffsets(brokers, topic);
  const next = await committedOffsets(brokers, groupId, topic);
  let lag = 0n;
  for (const [p, end] of ends) {
    const at = next.get(p) ?? -1n;
    lag += end - (at < 0n ? 0n : at);
  }
  return lag;
}

/**
 * Polls until the group has committed past `ends` (end offsets measured earlier) on every partition; resolves with
 * the milliseconds that took, or -1 after `timeoutMs`. Under a steady load the lag never reads zero, so "recovered"
 * means the backlog of that moment is applied.
 */
export async function waitCaughtUp(
  brokers: string[],
  groupId: string,
  topic: string,
  ends: ReadonlyMap<number, bigint>,
  timeoutMs = 120_000,
): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const next = await committedOffsets(brokers, groupId, topic).catch(() => new Map<number, bigint>());
    if ([...ends].every(([p, end]) => end === 0n || (next.get(p) ?? -1n) >= end)) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 250));
  }
  return -1;
}

/** Reads a whole topic, read_committed, from the beginning to the end offsets measured at the call. */
export async function readTopic(
  brokers: string[],
  topic: string,
  timeoutMs = 120_000,
): Promise<ReadRecord[]> {
  const ends = await endOffsets(brokers, topic);
  const want = [...ends].filter(([, end]) => end > 0n);
  if (want.length === 0) return [];
  const records: ReadRecord[] = [];
  const next = new Map<number, bigint>();
  const groupId = `lty-reliability-read-${randomUUID()}`;
  const consumer = client(brokers).consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          records.push({
            partition: batch.partition,
            offset: m.offset,
            key: m.key?.toString('utf8') ?? null,
            value: m.value,
            headers: normaliseHeaders(m.headers),
          });
        }
        const last = batch.messages[batch.messages.length - 1];
        if (last) next.set(batch.partition, BigInt(last.offset) + 1n);
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (!want.every(([p, end]) => (next.get(p) ?? 0n) >= end)) {
      if (Date.now() > deadline)
        throw new Error(`reading ${topic} did not reach its end within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await consumer.disconnect();
    await withAdmin(brokers, (admin) => admin.deleteGroups([groupId])).catch(() => undefined);
  }
  return records;
}

/** Deletes a run's topics and consumer groups (those whose name starts with the service name). */
export async function deleteRunTopics(brokers: string[], serviceName: string): Promise<void> {
  await withAdmin(brokers, async (admin) => {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${serviceName}.`));
    if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.startsWith(`${serviceName}.`));
    if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
  });
}
