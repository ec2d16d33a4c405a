import { TransientError, messageOf } from '@listen-to-yourself/core';

// cassandra-driver's server error codes (types.responseErrorCodes), listed here so that recognising an error
// needs neither `instanceof` (a second copy of the driver would defeat it) nor the driver at runtime.
const UNAVAILABLE = 0x1000;
const OVERLOADED = 0x1001;
const IS_BOOTSTRAPPING = 0x1002;
const TRUNCATE_ERROR = 0x1003;
const WRITE_TIMEOUT = 0x1100;
const READ_TIMEOUT = 0x1200;
// Protocol v5's CAS_WRITE_UNKNOWN; driver 4.10 speaks v4 and gets WriteTimeout(writeType CAS) instead.
const CAS_WRITE_UNKNOWN = 0x1700;

const TRANSIENT_SERVER_CODES = new Set([
  UNAVAILABLE,
  OVERLOADED,
  IS_BOOTSTRAPPING,
  TRUNCATE_ERROR,
  WRITE_TIMEOUT,
  READ_TIMEOUT,
]);
const TRANSIENT_DRIVER_ERRORS = new Set([
  'NoHostAvailableError',
  'OperationTimedOutError',
  'BusyConnectionError',
]);

interface DriverErrorShape {
  name?: unknown;
  code?: unknown;
  writeType?: unknown;
}

function shape(err: unknown): DriverErrorShape {
  return typeof err === 'object' && err !== null ? err : {};
}

/** True for faults that heal by themselves: no host reachable, client or server timeout, replicas unavailable. */
export function isTransientCassandraError(err: unknown): boolean {
  const e = shape(err);
  if (typeof e.name === 'string' && TRANSIENT_DRIVER_ERRORS.has(e.name)) return true;
  return e.name === 'ResponseError' && typeof e.code === 'number' && TRANSIENT_SERVER_CODES.has(e.code);
}

/**
 * True when a conditional write failed in a way that leaves its outcome unknown: the Paxos round may have been
 * accepted (and a later SERIAL read completes it) or not. WriteTimeout with writeType CAS is the classic case;
 * a commit-phase WriteTimeout (writeType SIMPLE/BATCH) and a client-side timeout are just as undecided, so they
 * are resolved the same way: by re-reading at SERIAL, never by guessing.
 */
export function isUnknownWriteOutcome(err: unknown): boolean {
  const e = shape(err);
  if (e.name === 'OperationTimedOutError') return true;
  return e.name === 'ResponseError' && (e.code === WRITE_TIMEOUT || e.code === CAS_WRITE_UNKNOWN);
}

/** Wraps a transient driver error as core's TransientError; anything else passes through unchanged. */
export function toStoreError(err: unknown, what: string): unknown {
  if (!isTransientCassandraError(err)) return err;
  return new TransientError(`cassandra ${what} failed: ${messageOf(err)}`, { cause: err });
}
