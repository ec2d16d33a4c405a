import { dlqTail } from '../dlq/dlq-tail';
import { messageOf } from '../errors/errors';
import { createParking } from '../subscriber/parking';
import { createBatchHandler } from '../subscriber/partition-worker';
import type { WorkerDeps } from '../subscriber/worker-deps';
import type { Consumption } from '../transport/transport';
import type { SubscriptionPlan } from './topic-plan';

/** How often a subscription polls for a publisher's topic that does not exist yet. */
const TOPIC_POLL_MS = 1000;

/**
 * Joins one `onEvent` group. A group on the service's own topic dead-letters to that topic's DLQ. A group on
 * another service's topic never creates it: while it is missing the group waits (saying so once in the log) in
 * the background, and the returned consumption's `stop()` ends the wait. Once the topic exists, the group reads
 * it and its own redrive topic, parks keys behind its own dead letters and tails its own DLQ.
 */
export async function startSubscription(
  plan: SubscriptionPlan,
  common: Omit<WorkerDeps, 'groupId' | 'routes' | 'parking'>,
): Promise<Consumption> {
  const { transport, logger } = common;
  const base = { ...common, groupId: plan.group, routes: plan.routes };
  const foreign = plan.foreign;
  if (!foreign) {
    const eachBatch = createBatchHandler(base);
    return transport.consume({ groupId: plan.group, topics: [plan.topic], fromBeginning: true, eachBatch });
  }
  // Kafka answers an unknown topic with an error: for a subscriber that means "not created yet".
  const topicSize = (topic: string) =>
    transport.partitionCount(topic).then(
      (partitions) => ({ partitions, error: undefined }),
      (err: unknown) => ({ partitions: 0, error: messageOf(err) }),
    );
  const parts: Consumption[] = [];
  let stopped = false;
  const join = () =>
    joinOnce().catch(async (err: unknown) => {
      await Promise.allSettled(parts.splice(0).map((p) => p.stop()));
      throw err;
    });
  const joinOnce = async () => {
    let said = false;
    for (;;) {
      const count = await topicSize(plan.topic);
      if (stopped || count.partitions > 0) break;
      if (!said) {
        logger.warn('waiting for a topic this service subscribes to but does not own', {
          topic: plan.topic,
          groupId: plan.group,
          ...(count.error ? { error: count.error } : {}),
        });
        said = true;
      }
      await new Promise((r) => setTimeout(r, TOPIC_POLL_MS));
    }
    if (stopped) return;
    const tail = dlqTail({ transport, dlqTopic: foreign.dlqTopic, groupId: plan.group, logger });
    parts.push(tail);
    await tail.start();
    const eachBatch = createBatchHandler({
      ...base,
      dlqTopic: () => foreign.dlqTopic,
      parking: createParking(tail),
      dlqPartitionByKey: true,
    });
    if (stopped) return;
    parts.push(
      await transport.consume({
        groupId: plan.group,
        topics: [plan.topic, foreign.redriveTopic],
        fromBeginning: true,
        eachBatch,
      }),
    );
    if (said) logger.info('subscribed', { topic: plan.topic, groupId: plan.group });
  };
  const joinInBackground = async () => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        return await join();
      } catch (err) {
        logger.error('subscription failed to join, will retry', {
          groupId: plan.group,
          error: messageOf(err),
        });
        await new Promise((r) => setTimeout(r, Math.min(30_000, TOPIC_POLL_MS * 2 ** attempt)));
      }
    }
  };
  let joining: Promise<void>;
  // A topic that exists is joined before start() returns (a failure fails start()), as the own groups are.
  if ((await topicSize(plan.topic)).partitions > 0) await (joining = join());
  else joining = joinInBackground();
  return {
    async stop() {
      stopped = true;
      await joining.catch(() => undefined);
      await Promise.allSettled(parts.splice(0).map((p) => p.stop()));
    },
  };
}
