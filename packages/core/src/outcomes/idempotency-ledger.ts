import type { RecordPosition } from '../store/position';
import type { StateStore } from '../store/state-store';

/** Entity type of the ledger: one record per idempotency key, naming the command input it was first used with. */
export const LEDGER_ENTITY_TYPE = 'lty.idempotency';
/** Entity type of recorded outcomes: one record per event whose outcome the store alone cannot tell. */
export const OUTCOME_ENTITY_TYPE = 'lty.outcome';

interface LedgerRecord {
  readonly fingerprint: string;
  readonly command: string | undefined;
  readonly eventId: string;
}

/** An outcome recorded at apply time: a conflict, or an event applied (or refused) from a redriven copy. */
export type RecordedOutcome =
  | { readonly status: 'conflict'; readonly idempotencyKey: string }
  | { readonly status: 'applied'; readonly redriveId: string }
  | { readonly status: 'rejected'; readonly redriveId: string; readonly reason: string };

/** One event's claim on its idempotency key. */
export interface ClaimInput {
  readonly key: string;
  readonly fingerprint: string;
  readonly command: string | undefined;
  readonly eventId: string;
  readonly position: RecordPosition;
}

/**
 * The idempotency ledger of one service, kept in its state store under reserved entity types. A key's record is
 * written once, insert-if-absent, by the first event of the key that reaches the store; it never changes after,
 * so this process caches what it learns (bounded) and a cached answer is always right.
 */
export interface IdempotencyLedger {
  /**
   * The fingerprint a key was first used with, as far as known without a write: from the cache, else one store
   * read. Undefined when the key is new, and when the read failed (the apply-time check still decides).
   */
  known(key: string): Promise<string | undefined>;
  /**
   * Claims each key for its event's fingerprint unless it is already claimed, in one `applyBatch` (keys this
   * process knows cost nothing); returns the fingerprint holding each key, in the order of `inputs`. Within one
   * call the first input of a key claims it.
   */
  claimMany(inputs: readonly ClaimInput[]): Promise<string[]>;
  /** The key's fingerprint if this process already knows it (no I/O). */
  cached(key: string): string | undefined;
  /** Records an event's outcome once (a second record for the same event keeps the first). */
  record(eventId: string, position: RecordPosition, outcome: RecordedOutcome): Promise<void>;
  outcomeOf(eventId: string): Promise<RecordedOutcome | undefined>;
}

export function idempotencyLedger(options: {
  readonly store: StateStore;
  readonly service: string;
  /** @defaultValue 10000 */
  readonly cacheSize?: number;
}): IdempotencyLedger {
  const { store, service } = options;
  const cacheSize = options.cacheSize ?? 10_000;
  const cache = new Map<string, string>();
  const remember = (key: string, fingerprint: string) => {
    cache.delete(key);
    cache.set(key, fingerprint);
    // Oldest first: Map keeps insertion order.
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
    return fingerprint;
  };
  const ledgerRef = (key: string) => ({ type: LEDGER_ENTITY_TYPE, id: `${service}:${key}` });
  const outcomeRef = (eventId: string) => ({ type: OUTCOME_ENTITY_TYPE, id: `${service}:${eventId}` });

  return {
    cached: (key) => cache.get(key),
    async known(key) {
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      try {
        const found = await store.get<LedgerRecord>(ledgerRef(key));
        return found ? remember(key, found.state.fingerprint) : undefined;
      } catch {
        return undefined;
      }
    },
    async claimMany(inputs) {
      const first = new Map<string, ClaimInput>();
      for (const i of inputs) if (!cache.has(i.key) && !first.has(i.key)) first.set(i.key, i);
      const todo = [...first.values()];
      if (todo.length > 0) {
        const results = await store.applyBatch<LedgerRecord>(
          todo.map(({ key, fingerprint, command, eventId, position }) => ({
            entity: ledgerRef(key),
            eventId,
            position,
            update: (current: LedgerRecord | undefined) => current ?? { fingerprint, command, eventId },
          })),
        );
        for (const [n, result] of results.entries()) {
          const { key, fingerprint } = todo[n]!;
          if (result.status === 'applied') remember(key, result.state.fingerprint);
          else {
            // This very event claimed (or met) the key before a crash or redelivery: the stored record decides.
            const stored = await store.get<LedgerRecord>(ledgerRef(key));
            remember(key, stored?.state.fingerprint ?? fingerprint);
          }
        }
      }
      return inputs.map((i) => cache.get(i.key) ?? i.fingerprint);
    },
    async record(eventId, position, outcome) {
      await store.apply<RecordedOutcome>({
        entity: outcomeRef(eventId),
        eventId,
        position,
        update: (current) => current ?? outcome,
      });
    },
    async outcomeOf(eventId) {
      return (await store.get<RecordedOutcome>(outcomeRef(eventId)))?.state;
    },
  };
}
