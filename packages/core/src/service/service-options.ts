import { z } from 'zod';
import type { Codec } from '../codec/codec';
import type { CommandDefinition } from '../command/define-command';
import type { AnyEntity } from '../entity/define-entity';
import type { EventDefinition } from '../event/define-event';
import type { StateStore } from '../store/state-store';
import type { AnyHandler } from '../subscriber/handlers';
import type { KafkaTransportOptions } from '../transport/kafka-transport-options';
import type { Transport } from '../transport/transport';
import type { Logger } from './logger';

export const serviceDefaults = Object.freeze({
  /** Partitions of the service's topic when `start()` creates it. @defaultValue 8 */
  partitions: 8,
  /** Replication factor of the topics `start()` creates. @defaultValue 1 (use 3 in production) */
  replicationFactor: 1,
  /** Longest wait between retries of a transient fault (database or broker down). @defaultValue 5000 */
  transientMaxDelayMs: 5000,
  /** Most events the self-subscriber applies in one store round trip (`applyBatch`); 1 turns batching off. @defaultValue 100 */
  applyBatchSize: 100,
  /** Records applied between offset commits inside one batch. @defaultValue 100 */
  commitEveryRecords: 100,
  /** Default bound of `waitForApplied`. @defaultValue 5000 */
  waitTimeoutMs: 5000,
  /** Whether `start()` runs the self-subscriber in this process. @defaultValue true */
  subscribe: true,
  /**
   * Whether `send()` with an idempotency key this process has not seen reads the key's ledger record (one store
   * read, in parallel with `validate()`), so that a key reused with other input is refused before anything is
   * produced whichever instance saw it first. false: only keys this process knows are refused at send; the others
   * end in a conflict through their token, and other consumer groups see their events. @defaultValue false
   */
  idempotencyReadOnSend: false,
  /** Whether `start()` creates missing topics. @defaultValue true */
  ensureTopics: true,
  /** Stop gracefully on SIGTERM and SIGINT. @defaultValue false */
  stopOnSignals: false,
  /**
   * Longest `stop()` waits for in-flight sends and applies before it disconnects anyway; keep it below the
   * platform's grace period (Kubernetes: 30 s). @defaultValue 20000
   */
  stopTimeoutMs: 20_000,
  /** Bound of the broker calls `health()` makes to measure lag (reported unknown past it). @defaultValue 2000 */
  healthTimeoutMs: 2000,
});

/**
 * The options of `createService`. `Tx` is the store's transaction handle (a Postgres store's `PoolClient`),
 * which the reducers of its entities see as `ctx.tx`.
 */
export interface ServiceOptions<Tx = unknown> {
  /** The service's name: default topic `<name>.events`, group `<name>.self`, and part of event ids. */
  name: string;
  /**
   * Kafka brokers and client options, for the kafkajs transport the service makes. Give this or `transport`.
   * @defaultValue none: one of `kafka` and `transport` is required
   */
  kafka?: KafkaTransportOptions;
  /** A transport of your own (the librdkafka one, the in-memory one). @defaultValue a kafkajs transport of `kafka` */
  transport?: Transport;
  /** Where own events are applied. Required when there are `onOwnEvent` handlers. @defaultValue none */
  store?: StateStore<Tx>;
  /** How event payloads are written to and read from Kafka. @defaultValue jsonCodec() */
  codec?: Codec;
  /** The commands `send()` accepts. @defaultValue [] */
  commands?: readonly CommandDefinition[];
  /** The service's entities (`defineEntity`): their reducers apply own events to the store. @defaultValue [] */
  entities?: readonly AnyEntity<NoInfer<Tx>>[];
  /** Reducers of own events (`onOwnEvent`, the low level) and handlers of any topic (`onEvent`). @defaultValue [] */
  handlers?: readonly AnyHandler[];
  /**
   * Event types the commands produce that no own handler applies. Handled types need no listing. Given to the
   * codec at start, so a registry codec registers and checks their schemas before the first send (otherwise on
   * first use) and, with the topic subject strategy, knows the topic carries several types. @defaultValue []
   */
  events?: readonly EventDefinition[];
  /** The service's own topic. */
  topic?: {
    /** @defaultValue `<name>.events` */
    name?: string;
    /** Partitions of the topics `start()` creates. @defaultValue 8 */
    partitions?: number;
    /** Replication factor of the topics `start()` creates (use 3 in production). @defaultValue 1 */
    replicationFactor?: number;
    /** Sets the topic's `min.insync.replicas` when `start()` creates it. @defaultValue the broker's setting */
    minInsyncReplicas?: number;
  };
  /** The self-subscriber's consumer group. @defaultValue `<name>.self` */
  groupId?: string;
  /** Dead-letter topic of a topic. @defaultValue `<topic>.dlq` */
  dlqTopic?: (topic: string) => string;
  /** Longest wait between retries of a transient fault (database or broker down). @defaultValue 5000 */
  transientMaxDelayMs?: number;
  /** Most events the self-subscriber applies in one store round trip; 1 turns batching off. @defaultValue 100 */
  applyBatchSize?: number;
  /** Records applied between offset commits inside one batch. @defaultValue 100 */
  commitEveryRecords?: number;
  /** Default bound of `waitForApplied()` and `outcome()`. @defaultValue 5000 */
  waitTimeoutMs?: number;
  /** Whether `start()` runs the consumer groups in this process. @defaultValue true */
  subscribe?: boolean;
  /**
   * Whether `send()` with an idempotency key this process has not seen reads the key's ledger record first, so
   * a key reused with other input is refused before anything is produced (see `serviceDefaults`).
   * @defaultValue false
   */
  idempotencyReadOnSend?: boolean;
  /** Whether `start()` creates the missing topics the service owns. @defaultValue true */
  ensureTopics?: boolean;
  /** Stop gracefully on SIGTERM and SIGINT. @defaultValue false */
  stopOnSignals?: boolean;
  /** Longest `stop()` waits for in-flight sends and applies before it disconnects anyway. @defaultValue 20000 */
  stopTimeoutMs?: number;
  /** Bound of the broker calls `health()` makes to measure lag. @defaultValue 2000 */
  healthTimeoutMs?: number;
  /** Where the service logs. @defaultValue silentLogger */
  logger?: Logger;
}

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'must be a function');
const obj = (what: string) => z.custom<object>((v) => typeof v === 'object' && v !== null, `must be ${what}`);

const fieldsSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'name: letters, digits, ".", "_" or "-"'),
    kafka: obj('kafka transport options').optional(),
    transport: obj('a Transport').optional(),
    store: obj('a StateStore').optional(),
    codec: obj('a Codec').optional(),
    commands: z.array(obj('a command definition')).optional(),
    handlers: z.array(obj('a handler')).optional(),
    entities: z
      .array(
        z.custom<object>(
          (v) => (v as { kind?: unknown })?.kind === 'entity',
          'must be an entity (defineEntity)',
        ),
      )
      .optional(),
    events: z.array(obj('an event definition')).optional(),
    topic: z
      .object({
        name: z.string().min(1).optional(),
        partitions: z.number().int().positive().optional(),
        replicationFactor: z.number().int().positive().optional(),
        minInsyncReplicas: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    groupId: z.string().min(1).optional(),
    dlqTopic: fn.optional(),
    transientMaxDelayMs: z.number().int().positive(),
    applyBatchSize: z.number().int().positive(),
    commitEveryRecords: z.number().int().positive(),
    waitTimeoutMs: z.number().int().positive(),
    subscribe: z.boolean(),
    idempotencyReadOnSend: z.boolean(),
    ensureTopics: z.boolean(),
    stopOnSignals: z.boolean(),
    stopTimeoutMs: z.number().int().positive(),
    healthTimeoutMs: z.number().int().positive(),
    logger: obj('a Logger').optional(),
  })
  .strict();

// Rules across fields live apart from the fields: zod skips a refinement once a field failed with an aborting
// issue (a non-integer, say), and one ConfigError must list every problem. An intersection runs both sides.
const crossFieldSchema = z.looseObject({}).superRefine((o, ctx) => {
  if (!o.kafka === !o.transport) {
    ctx.addIssue({ code: 'custom', message: 'give exactly one of kafka or transport', path: ['kafka'] });
  }
  const own = Array.isArray(o.handlers) && (o.handlers as AnyHandler[]).some((h) => h?.kind === 'own');
  if (own && !o.store) {
    ctx.addIssue({ code: 'custom', message: 'onOwnEvent handlers need a store', path: ['store'] });
  }
  if (Array.isArray(o.entities) && o.entities.length > 0 && !o.store) {
    ctx.addIssue({ code: 'custom', message: 'entities need a store', path: ['store'] });
  }
});

export const serviceOptionsSchema = z.intersection(fieldsSchema, crossFieldSchema);
