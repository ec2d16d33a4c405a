import { TransportError, messageOf } from '../errors/errors';

/** Wraps a kafkajs error; kafkajs marks each error `retriable`, and a send that ran out of retries may heal too. */
export function toTransportError(what: string, err: unknown): TransportError {
  if (err instanceof TransportError) return err;
  const e = err as { retriable?: boolean; name?: string };
  const retriable =
    e?.retriable !== false ||
    e?.name === 'KafkaJSNumberOfRetriesExceeded' ||
    e?.name === 'KafkaJSConnectionError' ||
    e?.name === 'KafkaJSRequestTimeoutError';
  return new TransportError(`${what}: ${messageOf(err)}`, { cause: err, retriable });
}
