import { LtyError } from './lty-error';

/**
 * An event of the token was refused by its reducer (`ctx.reject(reason, ...)`): the business rule said no, the
 * entity's state is as it was, and the refusal's announcements (if any) are on their way to Kafka. Not retriable:
 * the same event is refused again; a new command may succeed once the state allows it.
 */
export class ApplyRejectedError extends LtyError {
  /** The reason the reducer gave. */
  readonly reason: string;
  readonly eventId: string | undefined;
  constructor(reason: string, eventId: string | undefined) {
    super('LTY_REJECTED', `Event ${eventId ?? '(unknown id)'} was rejected: ${reason}`);
    this.name = 'ApplyRejectedError';
    this.reason = reason;
    this.eventId = eventId;
  }
}
