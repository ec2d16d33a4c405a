import { z } from 'zod';

export const kafkaTransportDefaults = Object.freeze({
  /** Client id sent to the brokers. @defaultValue 'listen-to-yourself' */
  clientId: 'listen-to-yourself',
  /** A send that has no acknowledgement after this long fails with a retriable error. @defaultValue 30000 */
  sendTimeoutMs: 30_000,
  /** How long a send waits for others to join it when the producer is idle. @defaultValue 0 (send at once) */
  lingerMs: 0,
  /** Most records in one coalesced produce call. @defaultValue 2000 */
  maxBatchRecords: 2000,
  /** Longest a fetch waits for data; also bounds how long a stopping consumer waits. @defaultValue 250 */
  maxWaitTimeMs: 250,
  /**
   * Longest a consumed record's offset waits before it is committed to the group, in one request with the other
   * partitions' (and at once when the consumer stops or the group rebalances). 0 commits before each batch
   * returns. A record read again because its commit had not gone out is recognised by the store as a duplicate.
   * @defaultValue 1000
   */
  commitIntervalMs: 1000,
  /** Consumer session timeout. @defaultValue 30000 */
  sessionTimeoutMs: 30_000,
  /** Consumer heartbeat interval. @defaultValue 3000 */
  heartbeatIntervalMs: 3000,
  /**
   * Partitions one consumer processes at the same time: as many as a service's topic has by default, so the
   * batches of one fetch are applied side by side rather than in rounds (a round waits for the slowest batch of
   * the round before it, and the next fetch for the last round). @defaultValue 8
   */
  partitionsConsumedConcurrently: 8,
  /** TCP connection timeout. @defaultValue 3000 */
  connectionTimeoutMs: 3000,
  /** Broker request timeout. @defaultValue 30000 */
  requestTimeoutMs: 30_000,
});

export const kafkaTransportOptionsSchema = z
  .object({
    brokers: z.array(z.string().min(1)).min(1, 'give at least one broker (host:port)'),
    clientId: z.string().min(1),
    /**
     * Names this instance's transactional producer. Give each instance a stable id (a pod name, say) so a
     * restarted instance fences its previous incarnation. Defaults to `<clientId>-<hostname>-<pid>`.
     */
    transactionalId: z.string().min(1).optional(),
    sendTimeoutMs: z.number().int().positive(),
    lingerMs: z.number().int().min(0),
    maxBatchRecords: z.number().int().positive(),
    maxWaitTimeMs: z.number().int().positive(),
    commitIntervalMs: z.number().int().min(0),
    sessionTimeoutMs: z.number().int().positive(),
    heartbeatIntervalMs: z.number().int().positive(),
    partitionsConsumedConcurrently: z.number().int().positive(),
    connectionTimeoutMs: z.number().int().positive(),
    requestTimeoutMs: z.number().int().positive(),
    /** TLS to the brokers: `true` trusts the system's CAs; an object adds a CA (PEM), a client certificate. */
    ssl: z
      .union([
        z.boolean(),
        z
          .object({
            ca: z.array(z.string().min(1)).optional(),
            cert: z.string().min(1).optional(),
            key: z.string().min(1).optional(),
            servername: z.string().min(1).optional(),
            rejectUnauthorized: z.boolean().optional(),
          })
          .strict(),
      ])
      .optional(),
    sasl: z
      .object({
        mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
        username: z.string(),
        password: z.string(),
      })
      .optional(),
  })
  .strict();

/**
 * What every Kafka transport of the project takes (the kafkajs one here, the librdkafka one in its package), with
 * the same defaults; each transport adds its own fields.
 */
export interface KafkaClientOptions {
  /** Bootstrap brokers, `host:port`. */
  brokers: string[];
  /** Client id sent to the brokers. @defaultValue 'listen-to-yourself' */
  clientId?: string;
  /**
   * Names this instance's transactional producer. Give each instance a stable id (a pod name, say) so a
   * restarted instance fences its previous incarnation. @defaultValue `<clientId>-<hostname>-<pid>`
   */
  transactionalId?: string;
  /** A send that has no acknowledgement after this long fails with a retriable error. @defaultValue 30000 */
  sendTimeoutMs?: number;
  /** Most records in one coalesced produce call. @defaultValue 2000 */
  maxBatchRecords?: number;
  /** Longest a fetch waits for data; also bounds how long a stopping consumer waits. @defaultValue 250 */
  maxWaitTimeMs?: number;
  /**
   * Longest a consumed record's offset waits before it is committed to the group, in one request with the other
   * partitions' (and at once when the consumer stops or the group rebalances). 0 commits before each batch
   * returns. A record read again because its commit had not gone out is recognised by the store as a duplicate.
   * @defaultValue 1000
   */
  commitIntervalMs?: number;
  /** Consumer session timeout. @defaultValue 30000 */
  sessionTimeoutMs?: number;
  /** Consumer heartbeat interval. @defaultValue 3000 */
  heartbeatIntervalMs?: number;
  /**
   * Partitions one consumer processes at the same time; the batches of one fetch beyond this many wait for a
   * batch to finish, and the next fetch waits for all of them. @defaultValue 8
   */
  partitionsConsumedConcurrently?: number;
  /** TCP connection timeout. @defaultValue 3000 */
  connectionTimeoutMs?: number;
  /** Broker request timeout. @defaultValue 30000 */
  requestTimeoutMs?: number;
  /** SASL authentication. @defaultValue none */
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

/** Options of {@link kafkaTransport}; every field but `brokers` has a default in `kafkaTransportDefaults`. */
export interface KafkaTransportOptions extends KafkaClientOptions {
  /** How long a send waits for others to join it when the producer is idle. @defaultValue 0 (send at once) */
  lingerMs?: number;
  /**
   * TLS to the brokers: `true` trusts the system's CAs; an object adds a CA (PEM), a client certificate.
   * @defaultValue none (plaintext)
   */
  ssl?:
    | boolean
    | { ca?: string[]; cert?: string; key?: string; servername?: string; rejectUnauthorized?: boolean };
}
