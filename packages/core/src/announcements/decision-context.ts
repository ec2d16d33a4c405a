import { ConfigError } from '../errors/errors';
import type { EventDraft } from '../event/define-event';

const REJECTION = Symbol.for('listen-to-yourself.rejection');

/** What `ctx.reject()` returns; a reducer returns it in place of a next state. */
export interface Rejection {
  readonly [REJECTION]: true;
  readonly reason: string;
}

/** The powers a reducer of own events has besides computing the next state. */
export interface DecisionContext {
  /**
   * Announces follow-up events decided with the new state. They are stored with the state, atomically, and
   * relayed to Kafka (the topic their definition names, else the service's own) with ids derived from the
   * causing event's id, never lost and always with the same id. Call it any number of times.
   */
  emit(...drafts: EventDraft[]): void;
  /**
   * Refuses the event: the state stays as it was, the refusal and its reason are stored with the event's dedup
   * record, and `drafts` are announced (what was emitted before is dropped: it described a change that is not
   * made). The caller's `waitForApplied()` rejects with `ApplyRejectedError`. Use as
   * `return ctx.reject('out of stock', Refused.of({ ... }))`.
   */
  reject(reason: string, ...drafts: EventDraft[]): Rejection;
}

/** A reducer's verdict: its announcements, and its refusal if it refused. */
export interface Verdict {
  readonly drafts: readonly EventDraft[];
  readonly rejection: string | undefined;
}

/** One reducer run's context, and what that run decided. */
export function decisionContext(): { ctx: DecisionContext; verdict: () => Verdict } {
  let drafts: EventDraft[] = [];
  let rejection: string | undefined;
  const check = (where: string, list: readonly EventDraft[]) => {
    for (const d of list) {
      if (d?.definition?.kind !== 'event') throw new ConfigError(where, ['pass drafts made by Event.of()']);
    }
  };
  const ctx: DecisionContext = {
    emit(...more) {
      check('ctx.emit', more);
      if (rejection === undefined) drafts.push(...more);
    },
    reject(reason, ...more) {
      if (typeof reason !== 'string' || reason.length === 0) {
        throw new ConfigError('ctx.reject', ['reason must be a non-empty string']);
      }
      check('ctx.reject', more);
      if (rejection === undefined) {
        rejection = reason;
        drafts = [...more];
      }
      return { [REJECTION]: true, reason };
    },
  };
  return { ctx, verdict: () => ({ drafts, rejection }) };
}

/** True for what `ctx.reject()` returned. */
export function isRejection(value: unknown): value is Rejection {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[REJECTION] === true
  );
}
