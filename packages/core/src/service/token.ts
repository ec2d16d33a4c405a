import { TimeoutError } from '../errors/errors';
import { InvalidTokenError } from '../errors/outcome-errors';
import type { RecordPosition } from '../store/position';

/** One event a consistency token waits for: where it was written and which entity it applies to. */
export interface TokenEntry {
  readonly position: RecordPosition;
  readonly key: string;
  readonly type: string;
  /**
   * The event's id: outcomes (a conflict, a refusal) are recorded by event id. Absent in tokens made by versions
   * that carried it only for commands sent with an idempotency key.
   */
  readonly eventId?: string;
}

/** Encodes the positions of a command's events as an opaque, URL-safe string (fit for an HTTP header). */
export function encodeToken(entries: readonly TokenEntry[]): string {
  const compact = entries.map((e) => [
    e.position.topic,
    e.position.partition,
    e.position.offset,
    e.key,
    e.type,
    ...(e.eventId === undefined ? [] : [e.eventId]),
  ]);
  return Buffer.from(JSON.stringify(compact), 'utf8').toString('base64url');
}

/** Decodes a token made by {@link encodeToken}; throws InvalidTokenError for anything else. */
export function decodeToken(token: string): TokenEntry[] {
  try {
    const raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(raw) || raw.length === 0) throw new Error('not a list');
    return raw.map((item: unknown) => {
      if (!Array.isArray(item) || item.length < 5 || item.length > 6) throw new Error('bad entry');
      const [topic, partition, offset, key, type, eventId] = item as [
        string,
        number,
        string,
        string,
        string,
        string | undefined,
      ];
      if (
        typeof topic !== 'string' ||
        (eventId !== undefined && typeof eventId !== 'string') ||
        !Number.isInteger(partition) ||
        !/^\d+$/.test(String(offset)) ||
        typeof key !== 'string' ||
        typeof type !== 'string'
      ) {
        throw new Error('bad entry');
      }
      const position = { topic, partition, offset: String(offset) };
      return eventId === undefined ? { position, key, type } : { position, key, type, eventId };
    });
  } catch {
    throw new InvalidTokenError('not a token made by this framework');
  }
}

/**
 * Polls `check` with a growing interval (5 ms doubling to 100 ms) until it holds or `timeoutMs` passes. With
 * `subscribe`, a wake-up it delivers cuts the current wait short, so a check runs as soon as there is news.
 */
export async function pollUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  subscribe?: (wake: () => void) => () => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let interval = 5;
  let woken = false;
  let wakeNow: (() => void) | undefined;
  const unsubscribe = subscribe?.(() => {
    woken = true;
    wakeNow?.();
  });
  try {
    for (;;) {
      woken = false;
      if (await check()) return;
      const left = deadline - Date.now();
      if (left <= 0) throw new TimeoutError(`${what} not reached within ${timeoutMs} ms`, timeoutMs);
      // News that came during the check: check again at once.
      if (!woken) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(interval, left));
          wakeNow = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wakeNow = undefined;
      }
      interval = Math.min(interval * 2, 100);
    }
  } finally {
    unsubscribe?.();
  }
}
