import { TransientError, messageOf } from '@listen-to-yourself/core';

// Driver errors recognised by name, not `instanceof`: a second copy of the driver would defeat instanceof.
const TRANSIENT_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
  'MongoOperationTimeoutError',
]);

// Server codes of MongoDB that heal: host unreachable/not found, network timeout, shutdown in progress, primary
// stepped down, time limit exceeded, socket exception, not writable primary, interrupted at shutdown or by a
// replica-set state change, not primary.
const TRANSIENT_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

// FerretDB v1 answers code 1 (InternalError) with its Go error text when its PostgreSQL or SQLite backend is
// unreachable; only such connection-level texts are transient, other InternalErrors are not.
const FERRETDB_BACKEND_DOWN = new RegExp(
  [
    'connection refused',
    'failed to connect',
    'dial (tcp|error)',
    'connection reset',
    'broken pipe',
    'database system is (starting up|shutting down)',
    'terminating connection',
    'too many clients',
    'conn closed',
  ].join('|'),
  'i',
);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  errorLabels?: unknown;
}

function shape(err: unknown): ErrorShape {
  return typeof err === 'object' && err !== null ? err : {};
}

/** True for faults that heal by themselves: network, server selection, failover, a FerretDB backend outage. */
export function isTransientMongoError(err: unknown): boolean {
  const e = shape(err);
  if (typeof e.name === 'string' && TRANSIENT_NAMES.has(e.name)) return true;
  if (
    Array.isArray(e.errorLabels) &&
    e.errorLabels.some((l) => l === 'RetryableWriteError' || l === 'ResetPool')
  ) {
    return true;
  }
  if (typeof e.code === 'number' && TRANSIENT_CODES.has(e.code)) return true;
  return e.code === 1 && typeof e.message === 'string' && FERRETDB_BACKEND_DOWN.test(e.message);
}

/** True for a unique-key violation on insert: someone else took the revision (code 11000, also on FerretDB). */
export function isDuplicateKey(err: unknown): boolean {
  return shape(err).code === 11000;
}

/** Wraps a transient driver error as core's TransientError; anything else passes through unchanged. */
export function toStoreError(err: unknown, what: string): unknown {
  if (!isTransientMongoError(err)) return err;
  return new TransientError(`mongo ${what} failed: ${messageOf(err)}`, { cause: err });
}
