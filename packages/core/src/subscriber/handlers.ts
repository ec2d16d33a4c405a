import { z } from 'zod';
import type { DecisionContext, Rejection } from '../announcements/decision-context';
import { ConfigError } from '../errors/errors';
import type { EventDefinition, EventDraft } from '../event/define-event';
import type { ConsumedEvent } from '../event/envelope';
import { toBackoff, type Backoff, type BackoffSetting } from '../retry/backoff';

export const retryDefaults = Object.freeze({
  /** Attempts for a handler error before the event is dead-lettered (1 = no retry). @defaultValue 5 */
  maxAttempts: 5,
  /** Delay between attempts: a number is fixed milliseconds, an object is exponential with full jitter. */
  backoff: { initialDelayMs: 100, factor: 2, maxDelayMs: 10_000 },
});

/** Retry settings of one handler. */
export interface RetryOptions {
  /** @defaultValue 5 */
  maxAttempts?: number;
  /** @defaultValue exponential 100 ms × 2 up to 10 s, full jitter */
  backoff?: BackoffSetting;
}

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly backoff: Backoff;
}

const retrySchema = z.object({ maxAttempts: z.number().int().min(1).optional() }).passthrough();

function toRetryPolicy(where: string, options: RetryOptions | undefined): RetryPolicy {
  const parsed = retrySchema.safeParse(options ?? {});
  if (!parsed.success)
    throw new ConfigError(
      where,
      parsed.error.issues.map((i) => i.message),
    );
  return {
    maxAttempts: options?.maxAttempts ?? retryDefaults.maxAttempts,
    backoff: toBackoff(options?.backoff ?? retryDefaults.backoff),
  };
}

/** What a state reducer receives besides the state and the event: `emit` and `reject` (see DecisionContext). */
export interface ApplyContext<Tx = unknown> extends DecisionContext {
  /** The store's transaction handle (Postgres: a client inside the apply transaction); undefined for others. */
  readonly tx: Tx;
}

/** A handler of the service's own events: computes the entity's next state. */
export interface OwnEventHandler<P = unknown, S = unknown, Tx = unknown> {
  readonly kind: 'own';
  readonly definition: EventDefinition<P>;
  /** Entity type the event applies to; undefined means the service's name. */
  readonly entity: string | undefined;
  readonly retry: RetryPolicy;
  reduce(
    state: S | undefined,
    event: ConsumedEvent<P>,
    ctx: ApplyContext<Tx>,
  ): S | Rejection | Promise<S | Rejection>;
}

/**
 * Applies the service's own event to its state store: `reduce(state, event)` returns the next state, written
 * atomically with the dedup record. Runs again only for a retry of a failed attempt, never for a duplicate.
 * `ctx.emit(...drafts)` announces follow-up events and `return ctx.reject(reason, ...drafts)` refuses the event;
 * both are stored in the same atomic write (the entity's outbox) and relayed to Kafka.
 * The low level under `defineEntity`, which declares an entity's type, state and reducers once; use this one
 * for a lone reducer, or where the entity type and state are given per handler.
 */
export function onOwnEvent<P, S, Tx = unknown>(
  definition: EventDefinition<P>,
  reduce: OwnEventHandler<P, S, Tx>['reduce'],
  options: OwnEventOptions = {},
): OwnEventHandler<P, S, Tx> {
  if (definition?.kind !== 'event')
    throw new ConfigError('onOwnEvent', ['the first argument must be an event definition']);
  if (typeof reduce !== 'function')
    throw new ConfigError(`onOwnEvent(${definition.type})`, ['reduce must be a function']);
  return Object.freeze({
    kind: 'own',
    definition,
    entity: options.entity,
    retry: toRetryPolicy(`onOwnEvent(${definition.type}) retry`, options.retry),
    reduce,
  });
}

/** The options of {@link onOwnEvent}. */
export interface OwnEventOptions {
  /** Entity type the event applies to. @defaultValue the service's name */
  entity?: string;
  /** @defaultValue {@link retryDefaults} */
  retry?: RetryOptions;
}

/** The options of {@link onEvent}. */
export interface EventHandlerOptions {
  /** The handler's consumer group (required). */
  group: string;
  /** The topic the group reads, another service's or the own one. @defaultValue the service's own topic */
  topic?: string;
  /** @defaultValue {@link retryDefaults} */
  retry?: RetryOptions;
}

/** What a subscriber handler may do besides its own work. */
export interface EventContext {
  /** 1 on the first try. */
  readonly attempt: number;
}

/** A handler of events in a consumer group of its own (another service's view of these events). */
export interface EventHandler<P = unknown> {
  readonly kind: 'subscriber';
  readonly definition: EventDefinition<P>;
  readonly group: string;
  readonly topic: string | undefined;
  readonly retry: RetryPolicy;
  handle(
    event: ConsumedEvent<P>,
    ctx: EventContext,
  ): void | readonly EventDraft[] | Promise<void | readonly EventDraft[]>;
}

/**
 * Subscribes to events in a consumer group of its own. The handler does its own (idempotent) work; events it
 * returns are produced in a Kafka transaction that also commits the consumed offset (exactly once).
 */
export function onEvent<P>(
  definition: EventDefinition<P>,
  handle: EventHandler<P>['handle'],
  options: EventHandlerOptions,
): EventHandler<P> {
  const problems: string[] = [];
  if (definition?.kind !== 'event') problems.push('the first argument must be an event definition');
  if (typeof handle !== 'function') problems.push('handle must be a function');
  if (typeof options?.group !== 'string' || options.group.length === 0) problems.push('group is required');
  if (problems.length) throw new ConfigError('onEvent', problems);
  return Object.freeze({
    kind: 'subscriber',
    definition,
    group: options.group,
    topic: options.topic,
    retry: toRetryPolicy(`onEvent(${definition.type}) retry`, options.retry),
    handle,
  });
}

/** Either kind of handler, as `createService({ handlers })` takes them. */
export type AnyHandler = OwnEventHandler | EventHandler;
