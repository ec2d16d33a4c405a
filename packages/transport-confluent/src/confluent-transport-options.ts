import { ConfigError } from '@listen-to-yourself/core';
import type { KafkaClientOptions } from '@listen-to-yourself/core/transport-kit';
import { z } from 'zod';
import { isConfluentLibrary, type ConfluentLibrary } from './confluent-client';

export const confluentTransportDefaults = Object.freeze({
  /** Client id sent to the brokers. @defaultValue 'listen-to-yourself' */
  clientId: 'listen-to-yourself',
  /**
   * A send that has no acknowledgement after this long fails with a retriable error. Also librdkafka's
   * `message.timeout.ms`, so a record nobody waits for any more is not retried past it. @defaultValue 30000
   */
  sendTimeoutMs: 30_000,
  /**
   * librdkafka's `linger.ms`: how long concurrent sends wait to share a produce request. 0 sends at once and
   * still batches what arrives while a request is in flight. @defaultValue 5 (librdkafka's default)
   */
  lingerMs: 5,
  /** Most records one coalesced transaction carries. @defaultValue 2000 */
  maxBatchRecords: 2000,
  /** Most records handed to one `eachBatch` call. @defaultValue 100 */
  maxConsumeBatchRecords: 100,
  /** Longest a fetch waits for data (`fetch.wait.max.ms`). @defaultValue 250 */
  maxWaitTimeMs: 250,
  /**
   * Longest a consumed record's offset waits before it is committed to the group, in one request with the other
   * partitions' (and at once when the consumer stops or its partitions are revoked). 0 commits before each batch
   * returns. A record read again because its commit had not gone out is recognised by the store as a duplicate.
   * @defaultValue 1000
   */
  commitIntervalMs: 1000,
  /** Consumer session timeout. @defaultValue 30000 */
  sessionTimeoutMs: 30_000,
  /** Consumer heartbeat interval; librdkafka sends heartbeats itself. @defaultValue 3000 */
  heartbeatIntervalMs: 3000,
  /**
   * Partitions one consumer processes at the same time: as many as a service's topic has by default, so the
   * batches of one fetch are applied side by side rather than in rounds (a round waits for the slowest batch of
   * the round before it, and the next fetch for the last round). @defaultValue 8
   */
  partitionsConsumedConcurrently: 8,
  /** TCP connection set-up timeout. @defaultValue 3000 */
  connectionTimeoutMs: 3000,
  /** Broker request timeout (`socket.timeout.ms`). @defaultValue 30000 */
  requestTimeoutMs: 30_000,
  /** Longest a transaction may stay open before the broker aborts it. @defaultValue 60000 */
  transactionTimeoutMs: 60_000,
  /** Admin calls (metadata, offsets, topic creation) fail after this long. @defaultValue 10000 */
  adminTimeoutMs: 10_000,
  /**
   * The consumer group protocol: `classic` (join and sync, the whole group pauses on each rebalance) or
   * `consumer` (KIP-848, Kafka 4.0+: the broker assigns incrementally; `sessionTimeoutMs` and
   * `heartbeatIntervalMs` are then the broker's `group.consumer.*` settings). @defaultValue 'classic'
   */
  groupProtocol: 'classic',
  /**
   * The library's API the group members consume with: `native`, a loop that fetches while batches run, or
   * `compatible`, its KafkaJS-compatible consumer, which fetches again only once every partition's batch has
   * returned, and so waits for the slowest of them under load. @defaultValue 'native'
   */
  consumerApi: 'native',
});

const librdkafkaValue = z.union([z.string(), z.number(), z.boolean()]);

const schema = z
  .object({
    brokers: z.array(z.string().min(1)).min(1, 'give at least one broker (host:port)'),
    clientId: z.string().min(1),
    /**
     * Names this instance's transactional producer. Give each instance a stable id (a pod name, say) so a
     * restarted instance fences its previous incarnation. Defaults to `<clientId>-<hostname>-<pid>`.
     */
    transactionalId: z.string().min(1).optional(),
    sendTimeoutMs: z.number().int().positive(),
    lingerMs: z.number().int().min(0).max(900_000),
    maxBatchRecords: z.number().int().positive(),
    maxConsumeBatchRecords: z.number().int().positive(),
    maxWaitTimeMs: z.number().int().positive(),
    commitIntervalMs: z.number().int().min(0),
    sessionTimeoutMs: z.number().int().positive(),
    heartbeatIntervalMs: z.number().int().positive(),
    partitionsConsumedConcurrently: z.number().int().positive(),
    connectionTimeoutMs: z.number().int().positive(),
    requestTimeoutMs: z.number().int().positive(),
    transactionTimeoutMs: z.number().int().positive(),
    adminTimeoutMs: z.number().int().positive(),
    groupProtocol: z.enum(['classic', 'consumer']),
    consumerApi: z.enum(['native', 'compatible']),
    /**
     * Static membership (KIP-345): a stable id of this instance (a pod name, say), the same across restarts and
     * unique among the instances. A member that comes back within the session timeout gets its partitions back
     * without a rebalance; a static member does not leave its groups when it stops (they wait for it that long).
     */
    groupInstanceId: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,249}$/, 'letters, digits, ".", "_" or "-"')
      .optional(),
    ssl: z.boolean().optional(),
    sasl: z
      .object({
        mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
        username: z.string(),
        password: z.string(),
      })
      .optional(),
    /** Extra librdkafka properties for every client (CA files, compression, ...); ours win where they overlap. */
    librdkafka: z.record(z.string(), librdkafkaValue).optional(),
    library: z
      .custom<ConfluentLibrary>(isConfluentLibrary, 'expected the @confluentinc/kafka-javascript module')
      .optional(),
  })
  .strict()
  .refine((o) => o.sendTimeoutMs <= o.transactionTimeoutMs, {
    // librdkafka refuses a message timeout longer than the transaction timeout.
    message: 'sendTimeoutMs must not exceed transactionTimeoutMs',
    path: ['sendTimeoutMs'],
  })
  .refine((o) => o.lingerMs < o.sendTimeoutMs, {
    message: 'lingerMs must be shorter than sendTimeoutMs',
    path: ['lingerMs'],
  });

/** The options after defaults and validation. */
export type ResolvedConfluentOptions = z.output<typeof schema>;

/** Options of {@link confluentTransport}; every field but `brokers` has a default in `confluentTransportDefaults`. */
export interface ConfluentTransportOptions extends KafkaClientOptions {
  /** librdkafka's `linger.ms`: how long concurrent sends wait to share a produce request. @defaultValue 5 */
  lingerMs?: number;
  /** Most records handed to one `eachBatch` call (`js.consumer.max.batch.size`). @defaultValue 100 */
  maxConsumeBatchRecords?: number;
  /** Longest a transaction may stay open before the broker aborts it. @defaultValue 60000 */
  transactionTimeoutMs?: number;
  /** Admin calls (metadata, offsets, topic creation) fail after this long. @defaultValue 10000 */
  adminTimeoutMs?: number;
  /** The consumer group protocol: `classic`, or `consumer` (KIP-848, Kafka 4.0+). @defaultValue 'classic' */
  groupProtocol?: 'classic' | 'consumer';
  /**
   * The library's consumer API: `native` (fetches while batches run) or `compatible` (the KafkaJS-compatible
   * consumer). @defaultValue 'native'
   */
  consumerApi?: 'native' | 'compatible';
  /**
   * Static membership (KIP-345): a stable id of this instance, the same across restarts and unique among the
   * instances. @defaultValue none (dynamic membership)
   */
  groupInstanceId?: string;
  /** TLS to the brokers with the system's CAs (more through `librdkafka`). @defaultValue false */
  ssl?: boolean;
  /** Extra librdkafka properties for every client; ours win where they overlap. @defaultValue {} */
  librdkafka?: Record<string, string | number | boolean>;
  /**
   * The @confluentinc/kafka-javascript module to use (what `require('@confluentinc/kafka-javascript')`
   * returns); pass it when the client lives elsewhere, as this repository's tests do with the build of
   * `scripts/build-confluent.sh`. @defaultValue the optional peer dependency, required on first use
   */
  library?: ConfluentLibrary;
}

/** The schema's input, to check {@link ConfluentTransportOptions} against (see its unit test). */
export type ConfluentOptionsFromSchema = { brokers: string[] } & Partial<
  Omit<z.input<typeof schema>, 'brokers' | 'library'>
> & { library?: ConfluentLibrary };

/** Merges the options over the defaults and validates them, reporting every problem at once as a ConfigError. */
export function parseConfluentOptions(given: ConfluentTransportOptions): ResolvedConfluentOptions {
  const defined = Object.fromEntries(Object.entries(given ?? {}).filter(([, v]) => v !== undefined));
  const result = schema.safeParse({ ...confluentTransportDefaults, ...defined });
  if (result.success) return result.data;
  throw new ConfigError(
    'confluentTransport options',
    result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(options)'}: ${i.message}`),
  );
}
