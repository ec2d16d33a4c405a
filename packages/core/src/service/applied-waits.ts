import { TimeoutError } from '../errors/errors';
import { messageOf } from '../errors/errors';
import { classifyFailure } from '../retry/classify';
import { reached, type RecordPosition } from '../store/position';
import type { StateStore } from '../store/state-store';
import type { Transport } from '../transport/transport';
import { decodeToken, pollUntil, type TokenEntry } from './token';

/** `waitForApplied()` for one service, and the hook its self-subscriber calls for each applied event. */
export interface AppliedWaits {
  /** Called by the self-subscriber for every event it applied (cheap when nobody waits). */
  readonly onApplied: (position: RecordPosition) => void;
  /** Resolves once every event of the token is applied; rejects with TimeoutError past `timeoutMs`. */
  waitForApplied(token: string, timeoutMs: number): Promise<void>;
}

interface Waiter {
  readonly position: RecordPosition;
  readonly wake: () => void;
}

export function appliedWaits(deps: {
  readonly store: StateStore | undefined;
  readonly transport: Transport;
  /** The self group, whose committed offsets count for events without an own handler. */
  readonly groupId: string;
  /** Entity type of each own event type. */
  readonly entityOfType: ReadonlyMap<string, string>;
}): AppliedWaits {
  // Callers in this process, by partition, woken when the self-subscriber applies at or past their position
  // instead of waiting out their polling interval. Callers in other processes keep polling.
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

  async function isApplied(entry: TokenEntry): Promise<boolean> {
    const entity = deps.entityOfType.get(entry.type);
    if (deps.store && entity !== undefined) {
      const found = await deps.store.get({ type: entity, id: entry.key });
      if (reached(found?.position, entry.position)) return true;
    }
    // Events without an own handler count as applied once the self group committed past them.
    const committed = await deps.transport.committedOffsets(deps.groupId, entry.position.topic);
    const next = committed.get(entry.position.partition);
    return next !== undefined && BigInt(next) > BigInt(entry.position.offset);
  }

  return {
    onApplied(position) {
      if (waiters.size === 0) return;
      for (const w of waiters.get(partitionKey(position)) ?? []) {
        if (reached(position, w.position)) w.wake();
      }
    },
    async waitForApplied(token, timeoutMs) {
      const pending = new Set(decodeToken(token));
      let lastFault: unknown;
      const check = async () => {
        for (const e of [...pending]) {
          try {
            if (await isApplied(e)) pending.delete(e);
          } catch (err) {
            // A broker or store that cannot answer yet (a group coordinator still loading after a restart, a
            // dropped connection) means "not known to be applied": the caller's bound decides, not the fault.
            if (classifyFailure(err) !== 'transient') throw err;
            lastFault = err;
          }
        }
        return pending.size === 0;
      };
      try {
        await pollUntil(check, timeoutMs, 'consistency token', (wake) => {
          const mine = [...pending].map((e) => ({ position: e.position, wake }));
          mine.forEach(add);
          return () => mine.forEach(remove);
        });
      } catch (err) {
        if (!(err instanceof TimeoutError) || lastFault === undefined) throw err;
        throw new TimeoutError(
          `${err.message} (last fault while checking: ${messageOf(lastFault)})`,
          timeoutMs,
        );
      }
    },
  };
}
