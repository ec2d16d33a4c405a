import type { Codec } from '../codec/codec';
import { jsonCodec } from '../codec/json-codec';
import type { CommandDefinition } from '../command/define-command';
import type { EventDefinition } from '../event/define-event';
import type { StateStore } from '../store/state-store';
import type { AnyHandler } from '../subscriber/handlers';
import { kafkaTransport } from '../transport/kafka-transport';
import type { Transport } from '../transport/transport';
import { silentLogger, type Logger } from './logger';
import { parseOptions } from './parse-options';
import { ownRoutesOf, type OwnRoutes } from './routes';
import { serviceDefaults, serviceOptionsSchema, type ServiceOptions } from './service-options';
import { planTopics, type TopicPlan } from './topic-plan';

/** A service's options validated once, with every default filled in and every name derived. */
export interface ResolvedService {
  readonly name: string;
  /** The service's own topic and its self group. */
  readonly topic: string;
  readonly groupId: string;
  readonly dlqTopic: (topic: string) => string;
  readonly logger: Logger;
  readonly codec: Codec;
  readonly store: StateStore | undefined;
  readonly transport: Transport;
  readonly commands: readonly CommandDefinition[];
  /** Event types the commands produce that no own handler applies (see `ServiceOptions.events`). */
  readonly events: readonly EventDefinition[];
  readonly handlers: readonly AnyHandler[];
  readonly routes: OwnRoutes;
  readonly plan: TopicPlan;
  /** The scalar settings, defaults applied. */
  readonly settings: ReturnType<typeof parseSettings>;
}

function parseSettings<Tx>(options: ServiceOptions<Tx>) {
  const { partitions: _p, replicationFactor: _rf, ...topLevelDefaults } = serviceDefaults;
  return parseOptions('createService options', serviceOptionsSchema, topLevelDefaults, options);
}

/** Validates `createService` options (a ConfigError lists every problem) and resolves every default. */
export function resolveService<Tx>(options: ServiceOptions<Tx>): ResolvedService {
  const settings = parseSettings(options);
  const name = settings.name;
  const topic = options.topic?.name ?? `${name}.events`;
  const dlqTopic = options.dlqTopic ?? ((t: string) => `${t}.dlq`);
  // An entity's reducers are own-event handlers like any other from here on.
  const handlers = [...(options.handlers ?? []), ...(options.entities ?? []).flatMap((e) => e.handlers)];
  const minIsr = options.topic?.minInsyncReplicas;
  return {
    name,
    topic,
    groupId: options.groupId ?? `${name}.self`,
    dlqTopic,
    logger: options.logger ?? silentLogger,
    codec: options.codec ?? jsonCodec(),
    store: options.store,
    transport: options.transport ?? kafkaTransport({ clientId: name, ...options.kafka! }),
    commands: options.commands ?? [],
    events: options.events ?? [],
    handlers,
    routes: ownRoutesOf(name, handlers),
    plan: planTopics({
      service: name,
      topic,
      handlers,
      dlqTopic,
      spec: {
        partitions: options.topic?.partitions ?? serviceDefaults.partitions,
        replicationFactor: options.topic?.replicationFactor ?? serviceDefaults.replicationFactor,
        ...(minIsr ? { config: { 'min.insync.replicas': String(minIsr) } } : {}),
      },
    }),
    settings,
  };
}
