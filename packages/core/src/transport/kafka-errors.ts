import { TransportError, messageOf } from '../errors/errors';

// Errors that heal once the broker is reachable again, wherever kafkajs puts them in the chain.
const HEALING = new Set([
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  // Metadata that lags behind a leader move: the next refresh says where the partition went.
  'KafkaJSBrokerNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
  'KafkaJSLockTimeout',
]);

// Broker answers during a leader failover (kafkajs' protocol error `type`): the partition has, or soon will
// have, another leader, so the same records sent again succeed.
const FAILOVER = new Set([
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
  'LEADER_NOT_AVAILABLE',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'BROKER_NOT_AVAILABLE',
  'REPLICA_NOT_AVAILABLE',
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR',
  'COORDINATOR_LOAD_IN_PROGRESS',
]);

/** Wraps a kafkajs error; kafkajs marks each error `retriable`, and a send that ran out of retries may heal too. */
export function toTransportError(what: string, err: unknown): TransportError {
  if (err instanceof TransportError) return err;
  const e = err as { retriable?: boolean };
  const retriable = e?.retriable !== false || heals(err);
  return new TransportError(`${what}: ${messageOf(err)}`, { cause: err, retriable });
}

// A send that fails while the broker is down ends in a KafkaJSNonRetriableError (retriable: false) whose cause is
// the KafkaJSConnectionError that stopped kafkajs' inner retry loop: retriable for our callers all the same. So
// is one that ran out of retries while a partition's leader moved.
function heals(err: unknown, depth = 0): boolean {
  const e = err as { name?: string; type?: string; cause?: unknown } | null;
  if (!e || typeof e !== 'object' || depth > 5) return false;
  if (HEALING.has(e.name ?? '') || FAILOVER.has(e.type ?? '')) return true;
  return e.cause !== undefined && e.cause !== err && heals(e.cause, depth + 1);
}
