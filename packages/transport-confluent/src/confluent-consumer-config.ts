import type { ConsumeOptions } from '@listen-to-yourself/core/transport-kit';
import type { ConfluentConfig } from './confluent-client';
import type { Membership } from './confluent-membership';
import type { ResolvedConfluentOptions } from './confluent-transport-options';

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
