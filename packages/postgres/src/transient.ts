import pg from 'pg';
import { NonRetryableError, TransientError, messageOf } from '@listen-to-yourself/core';
import { classifyFailure } from '@listen-to-yourself/core/store-kit';

// Core's classification knows the network errnos only; the SQLSTATEs that heal are this store's to know:
// serialization failure, deadlock, admin/crash shutdown, cannot connect now, too many connections, the two
// timeouts (statement_timeout cancels with 57014, lock_timeout fails with 55P03) and every connection exception
// (class 08, matched by prefix).
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '57P01', '57P02', '57P03', '53300', '57014', '55P03']);
// pg reports a lost connection with plain Errors (no code): "Connection terminated unexpectedly", "Client has
// encountered a connection error and is not queryable", "timeout exceeded when trying to connect".
const TRANSIENT_MESSAGES = /connection terminated|not queryable|timeout exceeded when trying to connect/i;
const { DatabaseError } = pg;

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** True for a pg or network error that heals by itself; looks into `cause` and into AggregateError's `errors`. */
export function isTransientPgError(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 5) return false;
  if (classifyFailure(err) === 'transient') return true;
  const e = err as ErrorShape;
  if (typeof e.code === 'string') {
    if (TRANSIENT_SQLSTATES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code)) return true;
  } else if (typeof e.message === 'string' && TRANSIENT_MESSAGES.test(e.message)) {
    return true;
  }
  if (Array.isArray(e.errors) && e.errors.some((inner) => isTransientPgError(inner, depth + 1))) return true;
  return e.cause !== undefined && e.cause !== err && isTransientPgError(e.cause, depth + 1);
}

/**
 * Class 22 (data exception) from the store's own statements: the state cannot be stored as it is, whatever the
 * number of attempts (a string holding U+0000 in jsonb is 22P05, a number past jsonb's range 22003).
 */
function unstorableCode(err: unknown): string | undefined {
  const code = (err as ErrorShape | null)?.code;
  return typeof code === 'string' && code.startsWith('22') ? code : undefined;
}

/**
 * An error the database raised for a statement of user code run on the store's transaction (`ctx.tx`): a
 * deadlock or serialization failure there heals like any other, so it is wrapped in `TransientError`. Anything
 * else user code throws, even an error whose `code` looks like a SQLSTATE, passes through as it is.
 */
export function fromUserCode(err: unknown): unknown {
  if (err instanceof DatabaseError && isTransientPgError(err)) {
    return new TransientError(`postgres state store: a statement of the handler failed: ${messageOf(err)}`, {
      cause: err,
    });
  }
  return err;
}

/**
 * Wraps a transient fault in `TransientError` (retried without limit) and data the store can never write in
 * `NonRetryableError` (dead-lettered at once), keeping the error as `cause`; returns any other error as it is.
 */
export function toStoreError(err: unknown, doing: string): unknown {
  if (isTransientPgError(err)) {
    return new TransientError(`postgres state store: ${doing} failed: ${messageOf(err)}`, { cause: err });
  }
  const code = unstorableCode(err);
  if (code === undefined) return err;
  return new NonRetryableError(
    `postgres state store: ${doing} failed, the data cannot be stored (SQLSTATE ${code}): ${messageOf(err)}`,
    { cause: err },
  );
}
