import { ConfigError } from '@listen-to-yourself/core';
import { type Transport } from '@listen-to-yourself/core/transport-kit';
import { z } from 'zod';

/** What the suite gets from the transport's author for each client it needs. */
export interface TransportUnderTest {
  /** A client that is not connected yet; the suite connects it and disconnects it after the case. */
  readonly transport: Transport;
  /** Called after the suite disconnected `transport`: releases what the factory set up for this client. */
  readonly cleanup?: () => Promise<void>;
}

/**
 * Builds a client for the suite. Every call must reach the same cluster (topics, records, groups and offsets
 * shared), as separate processes would: the group cases run one member per client.
 */
export type TransportFactory = () => Promise<TransportUnderTest>;

/** Turns cases on or off and tunes them, like Watermill's `Features`. */
export interface TransportContractFeatures {
  /**
   * The suite can make an atomic produce fail part-way: it adds a record larger than the topic's
   * `max.message.bytes` (64 KiB on the suite's topics), which a broker refuses after the other records of the
   * transaction were written, so the transaction aborts. Transports without a size limit (the in-memory one)
   * set false. @defaultValue true
   */
  readonly canAbort?: boolean;
  /**
   * The transport implements `BatchControl.deferPartition` (optional in the interface): the suite checks that a
   * deferred partition rests while the others flow. @defaultValue true
   */
  readonly canDefer?: boolean;
  /**
   * How long the deferral case rests its partition: long enough that a transport holding back the other
   * partitions meanwhile would show it. @defaultValue 4000
   */
  readonly deferMs?: number;
  /** Replication factor of the topics the suite creates. @defaultValue 1 */
  readonly replicationFactor?: number;
  /** How long the suite waits for consumers to see what it expects. @defaultValue 30_000 */
  readonly waitMs?: number;
  /** Timeout of each case. @defaultValue 90_000 */
  readonly timeoutMs?: number;
}

/** The features the suite uses when a transport gives none. */
export const transportContractDefaults = Object.freeze({
  canAbort: true,
  canDefer: true,
  deferMs: 4000,
  replicationFactor: 1,
  waitMs: 30_000,
  timeoutMs: 90_000,
});

/** The features after defaults and validation. */
export type ResolvedTransportFeatures = Required<TransportContractFeatures>;

const featuresSchema = z
  .object({
    canAbort: z.boolean(),
    canDefer: z.boolean(),
    deferMs: z.number().int().min(100),
    replicationFactor: z.number().int().min(1).max(5),
    waitMs: z.number().int().positive(),
    timeoutMs: z.number().int().positive(),
  })
  .strict();

/** Merges the transport's features over the defaults; reports every problem at once as a `ConfigError`. */
export function resolveTransportFeatures(given: TransportContractFeatures = {}): ResolvedTransportFeatures {
  const result = featuresSchema.safeParse({ ...transportContractDefaults, ...given });
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(features)'}: ${i.message}`);
  throw new ConfigError('describeTransportContract features', issues);
}
