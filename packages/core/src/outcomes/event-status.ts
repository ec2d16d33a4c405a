import type { DlqTail } from '../dlq/dlq-tail';
import { reached } from '../store/position';
import type { StateStore } from '../store/state-store';
import type { TransportAdmin } from '../transport/transport';
import type { TokenEntry } from '../service/token';
import type { DeadLetterFact } from './dead-letter-outcomes';
import type { EventOutcome, OutcomeEvent } from './event-outcome';
import type { IdempotencyLedger } from './idempotency-ledger';

/** The least time a status check gives the DLQ tail to catch up, whatever the caller's bound. */
const CATCH_UP_FLOOR_MS = 1000;

/** What deciding one event's status needs. */
export interface StatusDeps {
  readonly store: StateStore | undefined;
  readonly transport: TransportAdmin;
  /** The self group: its commits say an event was handled, its DLQ records say how. */
  readonly groupId: string;
  /** Entity type of each own event type. */
  readonly entityOfType: ReadonlyMap<string, string>;
  readonly ledger: IdempotencyLedger | undefined;
  /** This instance's tail of the self group's DLQ; undefined when there is none (no own handlers, no DLQ topic). */
  readonly tail: () => Promise<DlqTail | undefined>;
}

/**
 * The status of one event now. "Handled" (the entity's position reached it, or the self group committed past it)
 * is not "applied": a dead-lettered or parked event is committed too, a conflicting one is skipped, and after a
 * purge a later event moves the entity past a dead-lettered one. So an event counts as applied only when it was
 * handled, no conflict is recorded for it, and the DLQ holds no dead letter of its position once this instance's
 * tail has read every dead letter written before the handled check. That order makes it safe: the self group
 * produces a dead letter before it commits past the record or applies any later one of its partition.
 */
export async function eventStatus(
  deps: StatusDeps,
  entry: TokenEntry,
  deadlineMs: number,
): Promise<EventOutcome> {
  const event: OutcomeEvent = {
    eventId: entry.eventId,
    type: entry.type,
    key: entry.key,
    position: entry.position,
  };
  const tail = await deps.tail();
  const dead = tail?.outcomes.at(entry.position);
  if (dead) return deadOrRedriven(deps, event, dead);
  if (!(await handled(deps, entry))) return { status: 'pending', event };
  if (entry.eventId !== undefined && deps.ledger) {
    const recorded = await deps.ledger.outcomeOf(entry.eventId);
    if (recorded?.status === 'conflict') {
      return { status: 'conflict', event, idempotencyKey: recorded.idempotencyKey };
    }
  }
  const rejection = await rejectionOf(deps, entry);
  if (rejection !== undefined) return { status: 'rejected', event, reason: rejection };
  if (tail) {
    // Even a caller that will not wait (timeoutMs 0) gets one real look at the DLQ.
    const until = Math.max(deadlineMs, Date.now() + CATCH_UP_FLOOR_MS);
    const control = { isRunning: () => Date.now() < until, heartbeat: () => Promise.resolve() };
    if (!(await tail.catchUp(control))) return { status: 'pending', event };
    const late = tail.outcomes.at(entry.position);
    if (late) return deadOrRedriven(deps, event, late);
  }
  return { status: 'applied', event };
}

/** The refusal stored with the event's dedup record, written in the same atomic step as "handled". */
async function rejectionOf(deps: StatusDeps, entry: TokenEntry): Promise<string | undefined> {
  const entity = deps.entityOfType.get(entry.type);
  if (!deps.store || entity === undefined || entry.eventId === undefined) return undefined;
  return deps.store.rejectionOf({ type: entity, id: entry.key }, entry.eventId);
}

async function handled(deps: StatusDeps, entry: TokenEntry): Promise<boolean> {
  const entity = deps.entityOfType.get(entry.type);
  if (deps.store && entity !== undefined) {
    const found = await deps.store.get({ type: entity, id: entry.key });
    if (reached(found?.position, entry.position)) return true;
  }
  const committed = await deps.transport.committedOffsets(deps.groupId, entry.position.topic);
  const next = committed.get(entry.position.partition);
  return next !== undefined && BigInt(next) > BigInt(entry.position.offset);
}

/** A dead-lettered delivery stays dead-lettered unless a redrive of the same event id applied it since. */
async function deadOrRedriven(
  deps: StatusDeps,
  known: OutcomeEvent,
  dead: DeadLetterFact,
): Promise<EventOutcome> {
  const event = { ...known, eventId: known.eventId ?? dead.eventId };
  if (event.eventId !== undefined && deps.ledger) {
    const recorded = await deps.ledger.outcomeOf(event.eventId);
    if (recorded?.status === 'applied') return { status: 'applied', event };
    if (recorded?.status === 'rejected') return { status: 'rejected', event, reason: recorded.reason };
  }
  const parked = dead.reason === 'parked';
  return { status: 'dead-lettered', event, reason: dead.reason, parked, error: dead.error };
}
