import type { ConsumeOptions } from '@listen-to-yourself/core/transport-kit';
import type { ConfluentConfig } from './confluent-client';
import type { Membership } from './confluent-membership';
import type { ResolvedConfluentOptions } from './confluent-transport-options';
import { nativeClientConfig } from './confluent-producer-config';

/** The configuration of one group member: explicit commits, read_committed, and the membership settings. */
export function consumerConfig(
  opts: ResolvedConfluentOptions,
  consume: ConsumeOptions,
  membership: Membership,
): ConfluentConfig {
  const classic = opts.groupProtocol === 'classic';
  return {
    kafkaJS: {
      groupId: consume.groupId,
      fromBeginning: consume.fromBeginning,
      autoCommit: false,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: opts.maxWaitTimeMs,
      logger: membership.logger,
      // Under the consumer protocol (KIP-848) the broker sets both; the client refuses them.
      ...(classic
        ? { sessionTimeout: opts.sessionTimeoutMs, heartbeatInterval: opts.heartbeatIntervalMs }
        : {}),
    },
    'js.consumer.max.batch.size': opts.maxConsumeBatchRecords,
    rebalance_cb: membership.rebalanceCb,
    ...(classic ? {} : { 'group.protocol': 'consumer' }),
    ...(opts.groupInstanceId ? { 'group.instance.id': opts.groupInstanceId } : {}),
  };
}

/**
 * The configuration of one group member on the native API: the same settings in librdkafka's own terms, offsets
 * stored and committed only by the transport, and `rebalance_cb` (which must assign and unassign itself).
 */
export function nativeConsumerConfig(
  opts: ResolvedConfluentOptions,
  consume: ConsumeOptions,
  rebalanceCb: (err: { code?: number }, assignment: { topic: string; partition: number }[]) => void,
): { config: Record<string, unknown>; topicConfig: Record<string, unknown> } {
  const classic = opts.groupProtocol === 'classic';
  return {
    config: {
      ...nativeClientConfig(opts),
      'group.id': consume.groupId,
      'enable.auto.commit': false,
      'enable.auto.offset.store': false,
      'isolation.level': 'read_committed',
      'allow.auto.create.topics': false,
      'fetch.wait.max.ms': opts.maxWaitTimeMs,
      rebalance_cb: rebalanceCb,
      ...(classic
        ? { 'session.timeout.ms': opts.sessionTimeoutMs, 'heartbeat.interval.ms': opts.heartbeatIntervalMs }
        : { 'group.protocol': 'consumer' }),
      ...(opts.groupInstanceId ? { 'group.instance.id': opts.groupInstanceId } : {}),
    },
    topicConfig: { 'auto.offset.reset': consume.fromBeginning ? 'earliest' : 'latest' },
  };
}
