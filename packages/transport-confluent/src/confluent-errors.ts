import { TransportError, isLtyError, messageOf } from '@listen-to-yourself/core';

// librdkafka error codes (rdkafka.h; the client exposes them as `error.code`) after which sending the same
// records again cannot succeed. Everything else (timeouts, broker down, leader moved, abortable transaction
// errors) is retriable: librdkafka already retried within the send timeout, and a later attempt may succeed.
const PERMANENT = new Map<number, string>([
  [-186, 'invalid argument'],
  [-144, 'producer fenced'],
  [10, 'record too large'],
  [18, 'record batch too large'],
  [29, 'topic authorization failed'],
  [31, 'cluster authorization failed'],
  [53, 'transactional id authorization failed'],
  [87, 'invalid record'],
  [90, 'producer fenced'],
]);

/** The fields librdkafka's errors carry: `fatal` in the KafkaJS-compatible API, `isFatal` in the native one. */
interface ClientError {
  code?: number;
  fatal?: boolean;
  isFatal?: boolean;
  errors?: unknown[];
}

/** True when the error (or one of an aggregate's) is one retrying cannot fix. */
function permanent(err: unknown): boolean {
  const e = err as ClientError | undefined;
  if (e?.code !== undefined && PERMANENT.has(e.code)) return true;
  return Array.isArray(e?.errors) && e.errors.some(permanent);
}

/** True when the client that raised it cannot be used again and must be replaced. */
export function isFatal(err: unknown): boolean {
  const e = err as ClientError | undefined;
  return e?.fatal === true || e?.isFatal === true;
}

/** Wraps a client error as a TransportError whose `retriable` says whether the same call may succeed later. */
export function toTransportError(what: string, err: unknown): TransportError {
  if (isLtyError(err, 'LTY_TRANSPORT')) return err;
  return new TransportError(`${what}: ${messageOf(err)}`, { cause: err, retriable: !permanent(err) });
}
