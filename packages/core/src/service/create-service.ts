import { randomUUID } from 'node:crypto';
import { rememberDefinitions } from '../catalog/definitions';
import { jsonCodec } from '../codec/json-codec';
import type { CommandContext, CommandDefinition, CommandInput } from '../command/define-command';
import { prepareCommand } from '../command/prepare-command';
import { assertStorableRef } from '../command/storable-strings';
import { ConfigError, ServiceStateError } from '../errors/errors';
import { dlqTail } from '../dlq/dlq-tail';
import type { EventDefinition } from '../event/define-event';
import type { RecordPosition } from '../store/position';
import type { EntityRef, StoredEntity } from '../store/state-store';
import { newCounters, type SubscriberCounters } from '../subscriber/counters';
import type { AnyHandler } from '../subscriber/handlers';
import { kafkaTransport } from '../transport/kafka-transport';
import type { OffsetCommit, OutgoingRecord } from '../transport/transport';
import { encodeEvents } from './encode-events';
import { followUps } from './follow-ups';
import { planTopics } from './topic-plan';
import { silentLogger } from './logger';
import { parseOptions } from './parse-options';
import { serviceDefaults, serviceOptionsSchema, type ServiceOptions } from './service-options';
import type { TokenOutcome } from '../outcomes/event-outcome';
import { idempotencyLedger } from '../outcomes/idempotency-ledger';
import { sendCheck } from '../outcomes/send-check';
import { tailHandle } from '../outcomes/tail-handle';
import { tokenOutcomes } from '../outcomes/token-outcomes';
import { encodeToken } from './token';
import { commandPathTracker } from './command-path';
import { serviceHealth } from './health';
import type { ServiceHealth } from './health-types';
import { createSubscribers, type Subscribers } from './subscribers';
import { stopWithin } from './stop-within';

/** What `send()` resolves with once the broker acknowledged every event of the command. */
export interface Receipt {
  readonly eventIds: readonly string[];
  readonly positions: readonly RecordPosition[];
  /** Pass to `waitForApplied()` (or across HTTP) to read this command's own writes. */
  readonly token: string;
}

export interface SendOptions {
  /** Same key, same event ids: a retried command changes the store once. */
  idempotencyKey?: string;
  correlationId?: string;
}

/** A running Listen-to-Yourself service. */
export interface Service {
  readonly name: string;
  readonly topic: string;
  /**
   * Connects, creates missing topics and prepares the codec: resolves once `send()` works. The consumer groups
   * join in the background (see `health()`). Idempotent.
   */
  start(): Promise<void>;
  /**
   * Validates, converts and produces a command's events; resolves after acks=all. Rejects with
   * CommandValidationError or CommandRejectedError (nothing produced) or a retriable TransportError
   * (retry with the same idempotency key).
   */
  send<D extends CommandDefinition>(
    command: D,
    input: CommandInput<D>,
    options?: SendOptions,
  ): Promise<Receipt>;
  /**
   * Resolves once the store applied every event of the token. Rejects at once with DeadLetteredError or
   * IdempotencyConflictError when an event will not be applied, with TimeoutError past the bound, with
   * InvalidTokenError for a token this service did not make.
   */
  waitForApplied(token: string, options?: { timeoutMs?: number }): Promise<void>;
  /**
   * Each event's status (applied, dead-lettered, conflict), waiting up to `timeoutMs` for all to settle; those
   * still unsettled then are pending. Rejects only for an invalid token or a fault that does not heal.
   */
  outcome(token: string, options?: { timeoutMs?: number }): Promise<TokenOutcome>;
  /** Reads an entity from the service's store. InvalidEntityRefError for a type or id no store can hold. */
  read<S>(entity: EntityRef): Promise<StoredEntity<S> | undefined>;
  /** Counters of the subscribers in this process. */
  stats(): Readonly<SubscriberCounters> & { readonly inFlightSends: number };
  /** The command path, every consumer group (state, partitions, lag, last error) and the overall status. */
  health(): Promise<ServiceHealth>;
  /**
   * Refuses new commands, waits for in-flight sends, finishes in-flight applies, commits and disconnects; past
   * `stopTimeoutMs` it disconnects without waiting further (what was not committed is delivered again).
   */
  stop(): Promise<void>;
}

/** Wires commands, handlers, transport, store and codec into a service. See `ServiceOptions`. */
export function createService(options: ServiceOptions): Service {
  const { partitions: _p, replicationFactor: _rf, ...topLevelDefaults } = serviceDefaults;
  const opts = parseOptions('createService options', serviceOptionsSchema, topLevelDefaults, options);
  const name = opts.name;
  const logger = options.logger ?? silentLogger;
  const codec = options.codec ?? jsonCodec();
  const store = options.store;
  const transport = options.transport ?? kafkaTransport({ clientId: name, ...options.kafka! });
  const topic = options.topic?.name ?? `${name}.events`;
  const groupId = options.groupId ?? `${name}.self`;
  const dlqTopic = options.dlqTopic ?? ((t: string) => `${t}.dlq`);
  const handlers = options.handlers ?? [];
  const commands = options.commands ?? [];
  const counters = newCounters();

  const ownRoutes = new Map<string, AnyHandler>();
  for (const h of handlers) {
    if (h.kind !== 'own') continue;
    if (ownRoutes.has(h.definition.type)) {
      throw new ConfigError('createService handlers', [`two onOwnEvent handlers for ${h.definition.type}`]);
    }
    ownRoutes.set(h.definition.type, h);
  }
  const minIsr = options.topic?.minInsyncReplicas;
  const plan = planTopics({
    service: name,
    topic,
    handlers,
    dlqTopic,
    spec: {
      partitions: options.topic?.partitions ?? serviceDefaults.partitions,
      replicationFactor: options.topic?.replicationFactor ?? serviceDefaults.replicationFactor,
      ...(minIsr ? { config: { 'min.insync.replicas': String(minIsr) } } : {}),
    },
  });
  const groupTopic = new Map(plan.subscriptions.map((s) => [s.group, s.topic]));
  const entityType = (h: AnyHandler) => (h.kind === 'own' ? (h.entity ?? name) : name);
  const entityOfType = new Map([...ownRoutes].map(([t, h]) => [t, entityType(h)]));

  let state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  let starting: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  let partitionCount = 0;
  let subscribers: Subscribers | undefined;
  const commandPath = commandPathTracker();
  const inFlight = new Set<Promise<unknown>>();
  const signalHandler = () => void stop();

  const context = (idempotencyKey: string | undefined, correlationId: string): CommandContext => ({
    read: <S>(entity: EntityRef) => readEntity<S>(entity),
    idempotencyKey,
    correlationId,
  });

  async function readEntity<S>(entity: EntityRef): Promise<StoredEntity<S> | undefined> {
    if (!store) throw new ConfigError('read', ['this service has no store']);
    assertStorableRef(entity);
    return store.get<S>(entity);
  }

  async function produce(records: OutgoingRecord[], offsets?: OffsetCommit[]): Promise<RecordPosition[]> {
    const partitions = new Set(records.map((r) => `${r.topic}\u0000${r.partition}`));
    // One partition needs only the idempotent producer; more need a transaction so all or none become visible.
    if (offsets?.length) return transport.produce(records, { offsets });
    return transport.produce(records, { atomic: partitions.size > 1 });
  }

  const emit = followUps({ service: name, ownTopic: topic, codec, transport, produce });

  const ledger = store ? idempotencyLedger({ store, service: name }) : undefined;
  const tails = tailHandle({
    enabled: ownRoutes.size > 0,
    make: () => dlqTail({ transport, dlqTopic: dlqTopic(topic), groupId, logger }),
    // A transport may throw for an unknown topic; a failed look counts as absent and is looked at again later.
    dlqExists: async () => (await transport.partitionCount(dlqTopic(topic)).catch(() => 0)) > 0,
  });
  const waits = tokenOutcomes({
    store,
    transport,
    groupId,
    topic,
    entityOfType,
    ledger,
    tail: () => tails.get(),
  });
  const { onApplied } = waits;

  async function start(): Promise<void> {
    if (state === 'running') return;
    if (state === 'stopping' || state === 'stopped') {
      throw new ServiceStateError('LTY_STOPPED', `service ${name} was stopped; create a new one`);
    }
    starting ??= (async () => {
      state = 'starting';
      commandPath.set('starting');
      await transport.connect();
      if (store) await store.init();
      // Only topics this service owns: a topic it subscribes to is its publisher's to create.
      if (opts.ensureTopics) await transport.ensureTopics(plan.owned);
      partitionCount = await transport.partitionCount(topic);
      if (partitionCount === 0)
        throw new ConfigError(`topic ${topic}`, ['does not exist; create it or enable ensureTopics']);
      // The codec sees each topic's event types: the own topic's (handled or declared in `events`), then
      // those of topics the service only reads. Types a command produces undeclared reach it on first encode.
      const byTopic = new Map<string, Map<string, EventDefinition>>([[topic, new Map()]]);
      const add = (t: string, d: EventDefinition) =>
        byTopic.set(t, (byTopic.get(t) ?? new Map<string, EventDefinition>()).set(d.type, d));
      for (const d of options.events ?? []) add(topic, d);
      for (const h of handlers) add(h.kind === 'own' ? topic : groupTopic.get(h.group)!, h.definition);
      // Redriven dead letters of a subscription keep their publisher's encoding.
      for (const s of plan.subscriptions) {
        if (s.foreign) for (const h of s.routes.values()) add(s.foreign.redriveTopic, h.definition);
      }
      for (const [t, defs] of byTopic) {
        await codec.prepare({
          topic: t,
          events: [...defs.values()],
          ...(t === topic ? {} : { consumeOnly: true }),
        });
      }
      // Every instance reads the DLQ, subscribing or not: token outcomes need it as much as key parking does.
      // A subscribing instance starts it as its self group joins (in the background), others here.
      if (!opts.subscribe) await tails.start({ ifDlqExists: true });
      if (opts.subscribe) {
        subscribers = createSubscribers({
          common: {
            codec,
            transport,
            store,
            entityType,
            dlqTopic,
            counters,
            logger,
            emit,
            onApplied,
            transientMaxDelayMs: opts.transientMaxDelayMs,
            applyBatchSize: opts.applyBatchSize,
            commitEveryRecords: opts.commitEveryRecords,
          },
          own: {
            topic,
            groupId,
            routes: ownRoutes,
            ...(ledger ? { ledger } : {}),
            // A join still under way when stop() stopped the tail must not start it again.
            tail: () =>
              state === 'stopping' || state === 'stopped'
                ? Promise.resolve(undefined)
                : tails.start({ ifDlqExists: false }),
          },
          subscriptions: plan.subscriptions,
          restartMaxDelayMs: opts.transientMaxDelayMs,
        });
        subscribers.start();
      }
      if (opts.stopOnSignals) {
        process.once('SIGTERM', signalHandler);
        process.once('SIGINT', signalHandler);
      }
      state = 'running';
      commandPath.set('ready');
      logger.info('service started', { service: name, topic, partitions: partitionCount });
    })().catch(async (err: unknown) => {
      starting = undefined;
      state = 'new';
      commandPath.set('failed', err);
      await subscribers?.stop();
      subscribers = undefined;
      await tails.stop();
      await transport.disconnect().catch(() => undefined);
      throw err;
    });
    return starting;
  }

  async function send<D extends CommandDefinition>(
    command: D,
    input: CommandInput<D>,
    sendOptions: SendOptions = {},
  ): Promise<Receipt> {
    if (state !== 'running') {
      throw new ServiceStateError(
        state === 'new' || state === 'starting' ? 'LTY_NOT_STARTED' : 'LTY_STOPPED',
        `service ${name} is ${state === 'new' ? 'not started' : state}: cannot send ${command.name}`,
      );
    }
    if (!commands.includes(command)) {
      throw new ConfigError('send', [`command ${command.name} is not registered with service ${name}`]);
    }
    const correlationId = sendOptions.correlationId ?? randomUUID();
    const task = (async () => {
      const ctx = context(sendOptions.idempotencyKey, correlationId);
      const check = sendCheck(ledger, sendOptions.idempotencyKey, { readStore: opts.idempotencyReadOnSend });
      const { events, fingerprint } = await prepareCommand(name, command, input, ctx, check.onFingerprint);
      const records = await encodeEvents(codec, topic, partitionCount, events, {
        service: name,
        command: command.name,
        idempotencyKey: sendOptions.idempotencyKey,
        inputFingerprint: fingerprint,
        correlationId,
      });
      await check.verify();
      const positions = await produce(records);
      const token = encodeToken(
        events.map((e, i) => ({
          position: positions[i]!,
          key: e.key,
          type: e.definition.type,
          ...(fingerprint === undefined ? {} : { eventId: e.id }),
        })),
      );
      return { eventIds: events.map((e) => e.id), positions, token };
    })();
    inFlight.add(task);
    try {
      return await task;
    } finally {
      inFlight.delete(task);
    }
  }

  function waitForApplied(token: string, waitOptions: { timeoutMs?: number } = {}): Promise<void> {
    return waits.waitForApplied(token, waitOptions.timeoutMs ?? opts.waitTimeoutMs);
  }

  function outcome(token: string, waitOptions: { timeoutMs?: number } = {}): Promise<TokenOutcome> {
    return waits.outcome(token, waitOptions.timeoutMs ?? opts.waitTimeoutMs);
  }

  async function stop(): Promise<void> {
    if (state === 'new') {
      state = 'stopped';
      commandPath.set('stopped');
      return;
    }
    stopping ??= (async () => {
      if (starting) await starting.catch(() => undefined);
      state = 'stopping';
      commandPath.set('stopping');
      process.removeListener('SIGTERM', signalHandler);
      process.removeListener('SIGINT', signalHandler);
      const drained = await stopWithin(opts.stopTimeoutMs, async () => {
        await Promise.allSettled([...inFlight]);
        await subscribers?.stop();
        await tails.stop();
      });
      if (!drained)
        logger.warn('stop: not drained in time, disconnecting', { stopTimeoutMs: opts.stopTimeoutMs });
      await transport.disconnect();
      state = 'stopped';
      commandPath.set('stopped');
      logger.info('service stopped', { service: name });
    })();
    return stopping;
  }

  const service: Service = {
    name,
    topic,
    start,
    send,
    waitForApplied,
    outcome,
    read: readEntity,
    stats: () => ({ ...counters, inFlightSends: inFlight.size }),
    health: () =>
      serviceHealth({
        commandPath: commandPath.current(),
        groups: subscribers?.groups ?? [],
        transport,
        lagTimeoutMs: opts.healthTimeoutMs,
      }),
    stop,
  };
  return rememberDefinitions(service, options, { topic, groupId, dlqTopicOf: dlqTopic });
}
