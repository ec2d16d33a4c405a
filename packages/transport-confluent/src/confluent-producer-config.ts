import type { ResolvedConfluentOptions } from './confluent-transport-options';

/**
 * librdkafka's retry backoff (100 ms growing to 1 s), for every client: the KafkaJS-compatible layer would use
 * kafkajs' 300 ms to 30 s, which slows recovery after a leader moves.
 */
export const RETRY_BACKOFF = Object.freeze({ 'retry.backoff.ms': 100, 'retry.backoff.max.ms': 1000 });

/**
 * The plain producer's configuration for the library's native API: what the KafkaJS-compatible layer derives
 * from the transport's options for its clients (see `kafkaJSToRdKafkaConfig` in the library), written out in
 * librdkafka's own properties, with a delivery report per record.
 */
export function nativeProducerConfig(opts: ResolvedConfluentOptions): Record<string, unknown> {
  return {
    ...nativeClientConfig(opts),
    partitioner: 'murmur2_random',
    'enable.idempotence': true,
    acks: -1,
    'allow.auto.create.topics': false,
    'linger.ms': opts.lingerMs,
    // A record nobody waits for any more is not retried past the caller's deadline; until then librdkafka
    // retries without a count limit (the compatibility layer would stop after 5 tries).
    'message.timeout.ms': opts.sendTimeoutMs,
    retries: 2_147_483_647,
    dr_cb: true,
  };
}

/** What every client on the native API is configured with: brokers, security, timeouts, retry backoff. */
export function nativeClientConfig(opts: ResolvedConfluentOptions): Record<string, unknown> {
  const security = opts.sasl
    ? {
        'security.protocol': opts.ssl ? 'sasl_ssl' : 'sasl_plaintext',
        'sasl.mechanism': opts.sasl.mechanism.toUpperCase(),
        'sasl.username': opts.sasl.username,
        'sasl.password': opts.sasl.password,
      }
    : opts.ssl
      ? { 'security.protocol': 'ssl' }
      : {};
  return {
    ...RETRY_BACKOFF,
    ...opts.librdkafka,
    'bootstrap.servers': opts.brokers.join(','),
    'client.id': opts.clientId,
    ...security,
    'socket.timeout.ms': opts.requestTimeoutMs,
    // The compatibility layer's connection set-up budget: the connection timeout plus kafkajs' 10 s to authenticate.
    'socket.connection.setup.timeout.ms': Math.max(opts.connectionTimeoutMs + 10_000, 1000),
    log_level: 0, // failures reach callers as errors
  };
}
