import type { Codec } from '../codec/codec';
import type { CommandDefinition } from '../command/define-command';
import type { EventDefinition } from '../event/define-event';
import type { ServiceOptions } from '../service/service-options';

/** A consumer group of a service and the event types it handles on one topic. */
export interface SubscriptionDefinition {
  readonly group: string;
  readonly topic: string;
  /** True for the self-subscriber, which applies the service's own events to its store. */
  readonly self: boolean;
  readonly events: readonly EventDefinition[];
}

/** What a service is made of, as a catalog describes it: read from its options, never from a running cluster. */
export interface ServiceDefinitions {
  readonly name: string;
  /** The service's own topic, where its commands' events go. */
  readonly topic: string;
  /** Partitions `start()` gives the topic when it creates it; undefined when the default applies. */
  readonly partitions: number | undefined;
  readonly dlqTopicOf: (topic: string) => string;
  readonly codec: Codec | undefined;
  readonly commands: readonly CommandDefinition[];
  /** Event types produced to the own topic: those the self-subscriber applies and those listed in `events`. */
  readonly events: readonly EventDefinition[];
  readonly subscriptions: readonly SubscriptionDefinition[];
}

/** The names `createService` resolved from its options (topic, group, dead-letter topics). */
export interface ResolvedNames {
  readonly topic: string;
  readonly groupId: string;
  readonly dlqTopicOf: (topic: string) => string;
}

const remembered = new WeakMap<object, ServiceDefinitions>();

/** Keeps a service's definitions for {@link definitionsOf}; `createService` calls it once per service. */
export function rememberDefinitions<S extends object>(
  service: S,
  options: ServiceOptions,
  names: ResolvedNames,
): S {
  remembered.set(service, describe(options, names));
  return service;
}

/** The definitions of a service made by `createService` (started or not), or undefined for another object. */
export function definitionsOf(service: object): ServiceDefinitions | undefined {
  return remembered.get(service);
}

function describe(options: ServiceOptions, names: ResolvedNames): ServiceDefinitions {
  const handlers = options.handlers ?? [];
  const own = handlers.filter((h) => h.kind === 'own').map((h) => h.definition);
  const groups = new Map<string, { topic: string; events: EventDefinition[] }>();
  for (const h of handlers) {
    if (h.kind !== 'subscriber') continue;
    const g = groups.get(h.group) ?? { topic: h.topic ?? names.topic, events: [] };
    g.events.push(h.definition);
    groups.set(h.group, g);
  }
  const subscriptions: SubscriptionDefinition[] = [
    ...(own.length > 0 ? [{ group: names.groupId, topic: names.topic, self: true, events: own }] : []),
    ...[...groups].map(([group, g]) => ({ group, topic: g.topic, self: false, events: g.events })),
  ];
  return {
    name: options.name,
    topic: names.topic,
    partitions: options.topic?.partitions,
    dlqTopicOf: names.dlqTopicOf,
    codec: options.codec,
    commands: options.commands ?? [],
    events: uniqueByType([...own, ...(options.events ?? [])]),
    subscriptions,
  };
}

function uniqueByType(defs: readonly EventDefinition[]): EventDefinition[] {
  return [...new Map(defs.map((d) => [d.type, d])).values()];
}
