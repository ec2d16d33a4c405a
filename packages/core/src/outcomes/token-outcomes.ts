import { ApplyRejectedError } from '../errors/apply-rejected-error';
import { messageOf, TimeoutError } from '../errors/errors';
import { DeadLetteredError, IdempotencyConflictError, InvalidTokenError } from '../errors/outcome-errors';
import { classifyFailure } from '../retry/classify';
import { reached, type RecordPosition } from '../store/position';
import { decodeToken, pollUntil, type TokenEntry } from '../service/token';
import { tokenOutcome, type EventOutcome, type TokenOutcome } from './event-outcome';
import { eventStatus, type StatusDeps } from './event-status';

/** `waitForApplied()` and `outcome()` of one service, and the hook its subscribers call to wake local waiters. */
export interface TokenOutcomes {
  /** Called for every event the self-subscriber settled (applied, dead-lettered, parked, conflict). Cheap when nobody waits. */
  readonly onApplied: (position: RecordPosition) => void;
  /**
   * Resolves once every event is applied; rejects at once for a refusal, a dead letter or a conflict, at the
   * bound with TimeoutError.
   */
  waitForApplied(token: string, timeoutMs: number): Promise<void>;
  /** Each event's status once all are settled or the bound passed (pending ones then), without throwing for them. */
  outcome(token: string, timeoutMs: number): Promise<TokenOutcome>;
}

interface Waiter {
  readonly position: RecordPosition;
  readonly wake: () => void;
}

export function tokenOutcomes(deps: StatusDeps & { readonly topic: string }): TokenOutcomes {
  // Callers in this process, by partition, woken when the self-subscriber settles an event at or past their
  // position instead of waiting out their polling interval. Callers in other processes keep polling.
  const waiters = new Map<string, Set<Waiter>>();
  const partitionKey = (p: RecordPosition) => `${p.partition}\u0000${p.topic}`;
  const add = (w: Waiter) => {
    const key = partitionKey(w.position);
    waiters.set(key, (waiters.get(key) ?? new Set()).add(w));
  };
  const remove = (w: Waiter) => {
    const key = partitionKey(w.position);
    const set = waiters.get(key);
    if (set?.delete(w) && set.size === 0) waiters.delete(key);
  };

  function entriesOf(token: string): TokenEntry[] {
    const entries = decodeToken(token);
    const foreign = entries.find((e) => e.position.topic !== deps.topic);
    if (foreign) throw new InvalidTokenError(`it names topic ${foreign.position.topic}, not ${deps.topic}`);
    return entries;
  }

  /**
   * Polls every unsettled event until all are settled, `stopEarly` holds for one, or the bound passes. Faults
   * that heal (a coordinator still loading, a dropped connection) read as pending: the caller's bound decides.
   */
  async function watch(
    entries: TokenEntry[],
    timeoutMs: number,
    stopEarly: (o: EventOutcome) => boolean,
  ): Promise<{ outcomes: EventOutcome[]; timedOut: boolean; lastFault: unknown }> {
    const deadline = Date.now() + timeoutMs;
    const outcomes: EventOutcome[] = entries.map((e) => ({
      status: 'pending',
      event: { eventId: e.eventId, type: e.type, key: e.key, position: e.position },
    }));
    let lastFault: unknown;
    const check = async () => {
      for (const [i, entry] of entries.entries()) {
        if (outcomes[i]!.status !== 'pending') continue;
        try {
          outcomes[i] = await eventStatus(deps, entry, deadline);
        } catch (err) {
          if (classifyFailure(err) !== 'transient') throw err;
          lastFault = err;
        }
        if (stopEarly(outcomes[i]!)) return true;
      }
      return outcomes.every((o) => o.status !== 'pending');
    };
    try {
      await pollUntil(check, timeoutMs, 'consistency token', (wake) => {
        const mine = entries.map((e) => ({ position: e.position, wake }));
        mine.forEach(add);
        return () => mine.forEach(remove);
      });
      return { outcomes, timedOut: false, lastFault };
    } catch (err) {
      if (!(err instanceof TimeoutError)) throw err;
      return { outcomes, timedOut: true, lastFault };
    }
  }

  return {
    onApplied(position) {
      if (waiters.size === 0) return;
      for (const w of waiters.get(partitionKey(position)) ?? []) {
        if (reached(position, w.position)) w.wake();
      }
    },
    async waitForApplied(token, timeoutMs) {
      const entries = entriesOf(token);
      const failed = (o: EventOutcome) => o.status !== 'applied' && o.status !== 'pending';
      const { outcomes, timedOut, lastFault } = await watch(entries, timeoutMs, failed);
      const failure = outcomes.find(failed);
      if (failure?.status === 'dead-lettered') {
        throw new DeadLetteredError({
          eventId: failure.event.eventId,
          reason: failure.reason,
          error: failure.error,
        });
      }
      if (failure?.status === 'rejected') {
        throw new ApplyRejectedError(failure.reason, failure.event.eventId);
      }
      if (failure?.status === 'conflict') {
        throw new IdempotencyConflictError(failure.idempotencyKey, failure.event.eventId);
      }
      if (timedOut || !outcomes.every((o) => o.status === 'applied')) {
        const fault = lastFault === undefined ? '' : ` (last fault while checking: ${messageOf(lastFault)})`;
        throw new TimeoutError(`consistency token not reached within ${timeoutMs} ms${fault}`, timeoutMs);
      }
    },
    async outcome(token, timeoutMs) {
      const { outcomes } = await watch(entriesOf(token), timeoutMs, () => false);
      return tokenOutcome(outcomes);
    },
  };
}
