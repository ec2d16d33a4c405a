import type { DeadLetterReason } from '../dlq/dead-letter';
import type { RecordPosition } from '../store/position';

/** The event a status is about, as its token names it. */
export interface OutcomeEvent {
  /** Carried by tokens (older tokens: only for commands sent with an idempotency key), or known from a dead letter. */
  readonly eventId: string | undefined;
  readonly type: string;
  readonly key: string;
  readonly position: RecordPosition;
}

/** The event changed the store (also when a redrive applied it after it was dead-lettered). */
export interface AppliedOutcome {
  readonly status: 'applied';
  readonly event: OutcomeEvent;
}

/**
 * The event went to the dead-letter topic instead of the store: it failed (`reason`), or it was parked behind an
 * earlier dead letter of its key (`parked`, reason `'parked'`). It reads as applied once a redrive applies it.
 */
export interface DeadLetteredOutcome {
  readonly status: 'dead-lettered';
  readonly event: OutcomeEvent;
  readonly reason: DeadLetterReason;
  readonly parked: boolean;
  /** The failure's message as the dead letter records it. */
  readonly error: string;
}

/** The command's idempotency key was first used with other input: this event changed nothing. */
export interface ConflictOutcome {
  readonly status: 'conflict';
  readonly event: OutcomeEvent;
  readonly idempotencyKey: string;
}

/**
 * The event's reducer refused it (`ctx.reject`): the state is as it was; the refusal's announcements, if any,
 * are relayed to Kafka.
 */
export interface RejectedOutcome {
  readonly status: 'rejected';
  readonly event: OutcomeEvent;
  /** The reason the reducer gave. */
  readonly reason: string;
}

/** Not settled when the bound passed: not yet handled, or handled where this instance cannot see it yet. */
export interface PendingOutcome {
  readonly status: 'pending';
  readonly event: OutcomeEvent;
}

/** What became of one event of a token. Match on `status`; more statuses may be added, so keep a default. */
export type EventOutcome =
  AppliedOutcome | RejectedOutcome | DeadLetteredOutcome | ConflictOutcome | PendingOutcome;

/** The settled statuses: every status but `pending`. */
export type SettledOutcome = Exclude<EventOutcome, PendingOutcome>;

/** What `service.outcome(token)` resolves with: one entry per event, in the token's order. */
export interface TokenOutcome {
  /** True when every event was applied: the command's writes are all in the store. */
  readonly applied: boolean;
  /** True when no event is pending. */
  readonly settled: boolean;
  readonly events: readonly EventOutcome[];
}

export function tokenOutcome(events: readonly EventOutcome[]): TokenOutcome {
  return {
    applied: events.every((e) => e.status === 'applied'),
    settled: events.every((e) => e.status !== 'pending'),
    events,
  };
}
