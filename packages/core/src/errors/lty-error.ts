import type { LtyErrorFor } from './error-classes';

const BRAND = Symbol.for('listen-to-yourself.error');

/** Every error code the framework raises. Stable: safe to match on in user code. */
export type LtyErrorCode =
  | 'LTY_CONFIG'
  | 'LTY_COMMAND_VALIDATION'
  | 'LTY_COMMAND_REJECTED'
  | 'LTY_NOT_STARTED'
  | 'LTY_STOPPED'
  | 'LTY_TIMEOUT'
  | 'LTY_TRANSPORT'
  | 'LTY_DECODE'
  | 'LTY_SCHEMA'
  | 'LTY_NON_RETRYABLE'
  | 'LTY_RETRIES_EXHAUSTED'
  | 'LTY_STORE'
  | 'LTY_TRANSIENT'
  | 'LTY_UNKNOWN_EVENT'
  | 'LTY_INVALID_ENTITY_REF'
  | 'LTY_INVALID_TOKEN'
  | 'LTY_DEAD_LETTERED'
  | 'LTY_IDEMPOTENCY_CONFLICT'
  | 'LTY_REJECTED';

export interface LtyErrorOptions {
  retriable?: boolean;
  cause?: unknown;
}

/**
 * Base of every error the framework throws. `code` is stable, `retriable` says whether the same call may succeed
 * if repeated, `cause` keeps the underlying error. Recognise it with {@link isLtyError}, which survives duplicate
 * copies of the package (no `instanceof`).
 */
export class LtyError extends Error {
  readonly code: LtyErrorCode;
  readonly retriable: boolean;
  readonly [BRAND] = true;

  constructor(code: LtyErrorCode, message: string, options: LtyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LtyError';
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/**
 * True for any error raised by this framework, optionally with the given code. With a code it narrows to the
 * class that raises it (`isLtyError(err, 'LTY_COMMAND_VALIDATION')` gives `.issues` without a cast).
 */
export function isLtyError(err: unknown): err is LtyError;
export function isLtyError<C extends LtyErrorCode>(err: unknown, code: C): err is LtyErrorFor<C>;
export function isLtyError(err: unknown, code?: LtyErrorCode): err is LtyError {
  if (typeof err !== 'object' || err === null || (err as Record<symbol, unknown>)[BRAND] !== true) {
    return false;
  }
  return code === undefined || (err as LtyError).code === code;
}
