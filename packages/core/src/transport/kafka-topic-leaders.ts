import type { Admin } from 'kafkajs';

/** Metadata answers a broker gives while a topic it just created is not yet known everywhere. */
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/** True for a kafkajs error that says a topic created a moment ago has no metadata or leader yet. */
export function isTopicNotReadyYet(err: unknown): boolean {
  return NOT_YET.has((err as { type?: string } | undefined)?.type ?? '');
}

/**
 * Waits until every partition of `topics` has a leader. `createTopics({ waitForLeaders })` gives up with
 * UNKNOWN_TOPIC_OR_PARTITION when a loaded broker is slow to publish a new topic's metadata, though the topic was
 * created; start() would then fail on what heals in a moment. Rethrows the last error after `timeoutMs`.
 */
export async function waitForTopicLeaders(admin: Admin, topics: readonly string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (let delayMs = 50; ; delayMs = Math.min(delayMs * 2, 1000)) {
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [...topics] });
      const ready = meta.topics.every(
        (t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0),
      );
      if (ready) return;
      if (Date.now() >= deadline)
        throw new Error(`topics without leaders after ${timeoutMs} ms: ${topics.join(', ')}`);
    } catch (err) {
      if (!isTopicNotReadyYet(err) || Date.now() >= deadline) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
