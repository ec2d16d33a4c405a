import type { Codec } from '../codec/codec';
import type { EventDefinition } from '../event/define-event';
import type { AnyHandler } from '../subscriber/handlers';
import type { TopicPlan } from './topic-plan';

/**
 * Shows the codec each topic's event types: the own topic's (handled or declared in `events`), then those of
 * topics the service only reads. Types a command produces undeclared reach it on first encode.
 */
export async function prepareCodec(input: {
  readonly codec: Codec;
  readonly topic: string;
  readonly events: readonly EventDefinition[];
  readonly handlers: readonly AnyHandler[];
  readonly plan: TopicPlan;
}): Promise<void> {
  const { topic, plan } = input;
  const groupTopic = new Map(plan.subscriptions.map((s) => [s.group, s.topic]));
  const byTopic = new Map<string, Map<string, EventDefinition>>([[topic, new Map()]]);
  const add = (t: string, d: EventDefinition) =>
    byTopic.set(t, (byTopic.get(t) ?? new Map<string, EventDefinition>()).set(d.type, d));
  for (const d of input.events) add(topic, d);
  for (const h of input.handlers) add(h.kind === 'own' ? topic : groupTopic.get(h.group)!, h.definition);
  // Redriven dead letters of a subscription keep their publisher's encoding.
  for (const s of plan.subscriptions) {
    if (s.foreign) for (const h of s.routes.values()) add(s.foreign.redriveTopic, h.definition);
  }
  for (const [t, defs] of byTopic) {
    await input.codec.prepare({
      topic: t,
      events: [...defs.values()],
      ...(t === topic ? {} : { consumeOnly: true }),
    });
  }
}
