import { ConfigError } from '../errors/errors';
import type { AnyHandler, EventHandler } from '../subscriber/handlers';
import type { TopicSpec } from '../transport/transport';
import { subscriptionTopics } from './subscription-topics';

/** One `onEvent` consumer group and the topics it reads and writes. */
export interface SubscriptionPlan {
  readonly group: string;
  /** The topic the group consumes. */
  readonly topic: string;
  readonly routes: ReadonlyMap<string, AnyHandler>;
  /**
   * A subscription to another service's topic: its dead letters go to a dead-letter topic of this service, with
   * key parking and a redrive topic of its own. Undefined for a group reading the service's own topic.
   */
  readonly foreign: { readonly dlqTopic: string; readonly redriveTopic: string } | undefined;
}

/** Which topics a service owns (and may create) and which consumer groups it runs. */
export interface TopicPlan {
  readonly subscriptions: readonly SubscriptionPlan[];
  /** Every topic `start()` may create: the own topic, its DLQ, and each foreign subscription's DLQ and redrive topic. */
  readonly owned: readonly TopicSpec[];
}

export interface TopicPlanInput {
  readonly service: string;
  readonly topic: string;
  readonly handlers: readonly AnyHandler[];
  readonly dlqTopic: (topic: string) => string;
  /** Partitions, replication factor and config of the topics the service creates. */
  readonly spec: Omit<TopicSpec, 'topic'>;
}

/** Groups the `onEvent` handlers by consumer group and lists the topics the service owns. */
export function planTopics(input: TopicPlanInput): TopicPlan {
  const groups = new Map<string, { topic: string; routes: Map<string, AnyHandler> }>();
  for (const h of input.handlers.filter((x): x is EventHandler => x.kind === 'subscriber')) {
    const g = groups.get(h.group) ?? { topic: h.topic ?? input.topic, routes: new Map<string, AnyHandler>() };
    const problems: string[] = [];
    if (g.routes.has(h.definition.type))
      problems.push(`two onEvent handlers for ${h.definition.type} in ${h.group}`);
    if ((h.topic ?? input.topic) !== g.topic)
      problems.push(`group ${h.group} reads one topic, not ${g.topic} and ${h.topic}`);
    if (problems.length) throw new ConfigError('createService handlers', problems);
    g.routes.set(h.definition.type, h);
    groups.set(h.group, g);
  }
  const subscriptions = [...groups].map(([group, { topic, routes }]) => ({
    group,
    topic,
    routes,
    foreign: topic === input.topic ? undefined : subscriptionTopics(input.service, group),
  }));
  // Kept forever: a DLQ is the record of which keys are parked (see subscriber/parking.ts).
  const dlqSpec = (topic: string): TopicSpec => ({
    ...input.spec,
    topic,
    config: { ...input.spec.config, 'retention.ms': '-1' },
  });
  const owned: TopicSpec[] = [{ ...input.spec, topic: input.topic }, dlqSpec(input.dlqTopic(input.topic))];
  for (const s of subscriptions) {
    if (s.foreign) owned.push(dlqSpec(s.foreign.dlqTopic), { ...input.spec, topic: s.foreign.redriveTopic });
  }
  return { subscriptions, owned };
}
