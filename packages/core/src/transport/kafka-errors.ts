import { TransportError, messageOf } from '../errors/errors';

// Errors that heal once the broker is reachable again, wherever kafkajs puts them in the chain.
const HEALING = new Set([
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
]);

/** Wraps a kafkajs error; kafkajs marks each error `retriable`, and a send that ran out of retries may heal too. */
export function toTransportError(what: string, err: unknown): TransportError {
  if (err instanceof TransportError) return err;
  const e = err as { retriable?: boolean };
  const retriable = e?.retriable !== false || heals(err);
  return new TransportError(`${what}: ${messageOf(err)}`, { cause: err, retriable });
}

// A send that fails while the broker is down ends in a KafkaJSNonRetriableError (retriable: false) whose cause is
// the KafkaJSConnectionError that stopped kafkajs' inner retry loop: retriable for our callers all the same.
function heals(err: unknown, depth = 0): boolean {
  const e = err as { name?: string; cause?: unknown } | null;
  if (!e || typeof e !== 'object' || depth > 5) return false;
  return HEALING.has(e.name ?? '') || (e.cause !== undefined && e.cause !== err && heals(e.cause, depth + 1));
}
