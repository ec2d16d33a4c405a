import type { CommandDefinition, CommandInput } from '../command/define-command';
import type { TokenOutcome } from '../outcomes/event-outcome';
import type { RecordPosition } from '../store/position';
import type { EntityType } from '../entity/define-entity';
import type { EntityRef, StoredEntity } from '../store/state-store';
import type { SubscriberCounters } from '../subscriber/counters';
import type { ServiceHealth } from './health-types';

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
   * `send()` for input nobody has checked yet (an HTTP body, a message): `input` is `unknown`, and the command's
   * zod schema is the guard. Invalid input rejects with CommandValidationError listing every problem, nothing
   * produced; otherwise it is `send()` with the parsed input.
   */
  sendUntrusted(command: CommandDefinition, input: unknown, options?: SendOptions): Promise<Receipt>;
  /**
   * Resolves once the store applied every event of the token. Rejects at once with ApplyRejectedError,
   * DeadLetteredError or IdempotencyConflictError when an event will not be applied, with TimeoutError past the
   * bound, with InvalidTokenError for a token this service did not make.
   */
  waitForApplied(token: string, options?: { timeoutMs?: number }): Promise<void>;
  /**
   * Each event's status (applied, rejected, dead-lettered, conflict), waiting up to `timeoutMs` for all to
   * settle; those still unsettled then are pending. Rejects only for an invalid token or a fault that does not heal.
   */
  outcome(token: string, options?: { timeoutMs?: number }): Promise<TokenOutcome>;
  /**
   * Reads an entity from the service's store, typed by its definition: `read(Order, id)`. InvalidEntityRefError
   * for a type or id no store can hold.
   */
  read: EntityReader;
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

/** Reads one entity: by its definition and id (typed by the definition), or by a plain `EntityRef`. */
export interface EntityReader {
  <S>(entity: EntityType<S>, id: string): Promise<StoredEntity<S> | undefined>;
  /** The low level: the state type is the caller's to give. */
  <S>(entity: EntityRef): Promise<StoredEntity<S> | undefined>;
}
