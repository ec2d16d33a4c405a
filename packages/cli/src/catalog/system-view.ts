import type { AsyncAPIDocumentInterface, OperationInterface } from '@asyncapi/parser';

/** Who produces an event type or reads it: a service, and its consumer group for a reader. */
export interface Party {
  readonly service: string;
  readonly group?: string;
}

/** One event type across the system. */
export interface EventView {
  readonly type: string;
  readonly topics: readonly string[];
  readonly publishers: readonly Party[];
  readonly subscribers: readonly Party[];
}

/** A consumer group the catalog names, with the topic it reads and its dead-letter topic. */
export interface GroupView {
  readonly service: string;
  readonly group: string;
  readonly topic: string;
  readonly dlqTopic: string;
}

/** Several services' documents merged: every event with its publishers and subscribers, and every group. */
export interface SystemView {
  readonly services: readonly string[];
  readonly events: readonly EventView[];
  readonly groups: readonly GroupView[];
}

const ext = (o: { extensions(): { get(id: string): { value(): unknown } | undefined } }, id: string) =>
  o.extensions().get(id)?.value();

const stringOr = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);

function groupOf(op: OperationInterface): string | undefined {
  const fromExt = ext(op, 'x-lty-group');
  if (typeof fromExt === 'string') return fromExt;
  const binding: { groupId?: { enum?: unknown[] } } | undefined = op.bindings().get('kafka')?.value();
  const groupId = binding?.groupId;
  const first = groupId?.enum?.[0];
  return typeof first === 'string' ? first : undefined;
}

/**
 * Merges documents into a system view. A document's operations say who does what: `send` publishes, `receive`
 * subscribes (with the group in the Kafka binding). Dead-letter operations (`x-lty-dead-letters`) are not
 * publications. The service is the operation's `x-lty-service`, else the document's title.
 */
export function systemView(documents: readonly AsyncAPIDocumentInterface[]): SystemView {
  const events = new Map<string, { topics: Set<string>; pub: Map<string, Party>; sub: Map<string, Party> }>();
  const groups = new Map<string, GroupView>();
  const services = new Set<string>();
  const dlqOf = new Map<string, string>();
  for (const doc of documents) {
    for (const op of doc.operations().all()) {
      const service = stringOr(ext(op, 'x-lty-service'), doc.info().title());
      services.add(service);
      const topic = op.channels().all()[0]?.address() ?? '';
      const group = groupOf(op);
      if (ext(op, 'x-lty-dead-letters') === true) {
        if (group) dlqOf.set(group, topic);
        continue;
      }
      for (const m of op.messages().all()) {
        const type = m.name() ?? m.id();
        const e = events.get(type) ?? { topics: new Set(), pub: new Map(), sub: new Map() };
        events.set(type, e);
        e.topics.add(topic);
        const party = group && op.action() === 'receive' ? { service, group } : { service };
        (op.action() === 'send' ? e.pub : e.sub).set(`${service}\u0000${party.group ?? ''}`, party);
      }
      if (op.action() === 'receive' && group && !groups.has(group)) {
        groups.set(group, { service, group, topic, dlqTopic: `${topic}.dlq` });
      }
    }
  }
  return {
    services: [...services].sort(),
    events: [...events]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, e]) => ({
        type,
        topics: [...e.topics].sort(),
        publishers: [...e.pub.values()],
        subscribers: [...e.sub.values()],
      })),
    groups: [...groups.values()].map((g) => ({ ...g, dlqTopic: dlqOf.get(g.group) ?? g.dlqTopic })),
  };
}
