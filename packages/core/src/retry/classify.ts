import { isLtyError } from '../errors/lty-error';

/** How a failure is handled: retried forever, retried up to maxAttempts, or dead-lettered at once. */
export type FailureKind = 'transient' | 'handler' | 'permanent';

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Classifies an error thrown while handling an event. Framework errors decide by code; `retriable: true` (ours,
 * kafkajs', or any adapter's) and the network errnos are transient; everything else thrown by a handler is a
 * handler error. Core knows no database: each store wraps the faults of its own driver that heal in
 * `TransientError` (see the store contract), user code that talks to another system does the same.
 */
export function classifyFailure(err: unknown): FailureKind {
  return classify(err, new Set());
}

// `seen` guards against cause chains that loop (a.cause = b, b.cause = a), which would overflow the stack.
function classify(err: unknown, seen: Set<unknown>): FailureKind {
  seen.add(err);
  if (isLtyError(err)) {
    if (err.code === 'LTY_NON_RETRYABLE' || err.code === 'LTY_DECODE' || err.code === 'LTY_SCHEMA') {
      return 'permanent';
    }
    if (err.code === 'LTY_UNKNOWN_EVENT') return 'permanent';
    return err.retriable ? 'transient' : 'handler';
  }
  const e = err as { retriable?: unknown; code?: unknown; cause?: unknown } | null;
  if (e && typeof e === 'object') {
    if (e.retriable === true) return 'transient';
    if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return 'transient';
    if (e.cause && !seen.has(e.cause)) {
      const inner = classify(e.cause, seen);
      if (inner === 'transient') return inner;
    }
  }
  return 'handler';
}
