import type { DeadLetterReason } from '../dlq/dead-letter';
import { LtyError } from './lty-error';

/** A consistency token that this service did not make: malformed, truncated, or naming another topic. */
export class InvalidTokenError extends LtyError {
  constructor(detail: string) {
    super('LTY_INVALID_TOKEN', `Invalid consistency token: ${detail}`);
    this.name = 'InvalidTokenError';
  }
}

/**
 * An event of the token went to the dead-letter topic instead of the store: it failed (`reason` says how), or
 * it was parked behind an earlier dead letter of its key (`parked`). Its write is not in the store.
 */
export class DeadLetteredError extends LtyError {
  readonly eventId: string | undefined;
  readonly reason: DeadLetterReason;
  readonly parked: boolean;
  /** The failure's message as the dead letter records it. */
  readonly error: string;
  constructor(input: { eventId: string | undefined; reason: DeadLetterReason; error: string }) {
    const parked = input.reason === 'parked';
    super(
      'LTY_DEAD_LETTERED',
      `Event ${input.eventId ?? '(unknown id)'} was ${parked ? 'parked behind an earlier dead letter of its key' : `dead-lettered (${input.reason})`}: ${input.error}`,
    );
    this.name = 'DeadLetteredError';
    this.eventId = input.eventId;
    this.reason = input.reason;
    this.parked = parked;
    this.error = input.error;
  }
}

/**
 * The idempotency key was first used for another command input (another command or other fields). The first
 * use stands; this one changes nothing. Raised by `send()` when the first use is already known, else through
 * the conflicting command's token.
 */
export class IdempotencyConflictError extends LtyError {
  readonly idempotencyKey: string;
  /** The event of the token that met the conflict, when raised through a token. */
  readonly eventId: string | undefined;
  constructor(idempotencyKey: string, eventId?: string) {
    super(
      'LTY_IDEMPOTENCY_CONFLICT',
      `Idempotency key ${JSON.stringify(idempotencyKey)} was already used with other input`,
    );
    this.name = 'IdempotencyConflictError';
    this.idempotencyKey = idempotencyKey;
    this.eventId = eventId;
  }
}
