/**
 * The topics a service owns for one subscription to another service's topic: its dead letters, and the topic
 * a redrive of them goes to (never the publisher's topic, which the subscriber does not own).
 */
export interface SubscriptionTopics {
  /** `<service>.<group>.dlq`; the group alone when it already starts with `<service>.`. */
  readonly dlqTopic: string;
  /** `<service>.<group>.redrive`, read by the subscription's group beside the publisher's topic. */
  readonly redriveTopic: string;
}

/** Names the topics of `service`'s subscription in consumer group `group` (see {@link SubscriptionTopics}). */
export function subscriptionTopics(service: string, group: string): SubscriptionTopics {
  const base = group.startsWith(`${service}.`) ? group : `${service}.${group}`;
  return { dlqTopic: `${base}.dlq`, redriveTopic: `${base}.redrive` };
}
