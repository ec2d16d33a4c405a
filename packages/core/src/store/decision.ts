import type { ApplyChange } from './state-store';

/**
 * A follow-up event decided at apply time, kept in its entity's outbox until relayed: a record ready to produce
 * (its partition is chosen from its key when relayed). Stores keep it as opaque JSON.
 */
export interface Announcement {
  /** The event id, derived from the causing event's id and the announcement's index: the same on every attempt. */
  readonly id: string;
  readonly topic: string;
  readonly key: string;
  /** The encoded value, base64. */
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

const DECISION = Symbol.for('listen-to-yourself.decision');

/**
 * What an `update` decided besides a plain next state: a refusal (`rejection`, the state stays as it was) and the
 * announcements to store in the entity's outbox in the same atomic write. Made by {@link decision}.
 */
export interface Decision<S> {
  readonly [DECISION]: true;
  /** The next state; ignored when `rejection` is set. */
  readonly state: S | undefined;
  readonly rejection: string | undefined;
  readonly announcements: readonly Announcement[];
}

/** Wraps a decision for `ApplyChange.update` to return. */
export function decision<S>(input: {
  state?: S;
  rejection?: string;
  announcements?: readonly Announcement[];
}): Decision<S> {
  return {
    [DECISION]: true,
    state: input.state,
    rejection: input.rejection,
    announcements: input.announcements ?? [],
  };
}

/** What a store writes for one change that is not a duplicate. */
export type Decided<S> =
  | { readonly kind: 'applied'; readonly state: S; readonly announcements: readonly Announcement[] }
  | {
      readonly kind: 'rejected';
      readonly rejection: string;
      readonly announcements: readonly Announcement[];
    };

/**
 * Runs a change's `update` for a store and says what to write: a plain state is applied with no announcements;
 * a {@link Decision} may refuse the change or announce. Errors of `update` pass through.
 */
export async function decide<S, Tx>(
  change: ApplyChange<S, Tx>,
  current: S | undefined,
  tx: Tx,
): Promise<Decided<S>> {
  const value = await change.update(current, tx);
  if (!isDecision(value)) return { kind: 'applied', state: value, announcements: [] };
  if (value.rejection !== undefined) {
    return { kind: 'rejected', rejection: value.rejection, announcements: value.announcements };
  }
  return { kind: 'applied', state: value.state as S, announcements: value.announcements };
}

function isDecision<S>(value: unknown): value is Decision<S> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DECISION] === true;
}
