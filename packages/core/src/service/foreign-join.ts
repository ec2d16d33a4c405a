import type { DlqTail } from '../dlq/dlq-tail';
import { messageOf } from '../errors/errors';
import type { Logger } from './logger';
import type { TransportAdmin } from '../transport/transport';

/** How often a subscription polls for a publisher's topic that does not exist yet. */
const TOPIC_POLL_MS = 1000;

/**
 * Waits until another service's topic exists, without ever creating it (its publisher decides its partitions):
 * says so once in the log while it is missing. Resolves false when `stopped()` turns true first.
 */
export async function awaitForeignTopic(deps: {
  readonly transport: TransportAdmin;
  readonly logger: Logger;
  readonly topic: string;
  readonly groupId: string;
  readonly stopped: () => boolean;
}): Promise<boolean> {
  let said = false;
  for (;;) {
    // Kafka answers an unknown topic with an error: for a subscriber that means "not created yet".
    const count = await deps.transport.partitionCount(deps.topic).then(
      (partitions) => ({ partitions, error: undefined }),
      (err: unknown) => ({ partitions: 0, error: messageOf(err) }),
    );
    if (deps.stopped()) return false;
    if (count.partitions > 0) {
      if (said) deps.logger.info('subscribed', { topic: deps.topic, groupId: deps.groupId });
      return true;
    }
    if (!said) {
      deps.logger.warn('waiting for a topic this service subscribes to but does not own', {
        topic: deps.topic,
        groupId: deps.groupId,
        ...(count.error ? { error: count.error } : {}),
      });
      said = true;
    }
    await new Promise((r) => setTimeout(r, TOPIC_POLL_MS));
  }
}

/** Starts a DLQ tail once however often its group joins again: the tail keeps its index across restarts. */
export function startOnce(tail: DlqTail): () => Promise<void> {
  let started: Promise<void> | undefined;
  return () =>
    (started ??= tail.start().catch((err: unknown) => {
      started = undefined;
      throw err;
    }));
}
