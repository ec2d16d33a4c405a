import type { TopicPartition } from '@listen-to-yourself/core/transport-kit';
import type { ConfluentNativeConsumer } from './confluent-client';
import type { Membership } from './confluent-membership';
import type { NativePartitions, NativePartition } from './native-partitions';

// librdkafka's rebalance event codes (rdkafka.h).
const ASSIGN = -175;
const REVOKE = -174;

export interface RebalanceHooks {
  readonly consumer: () => ConfluentNativeConsumer;
  readonly partitions: NativePartitions;
  readonly membership: Membership;
  /** Makes what was fetched for the partition void: a later consume call must not hand it over. */
  readonly voidFetched: (part: NativePartition) => void;
  /** Sends the pending commits while the revoked partitions are still this member's. */
  readonly flushCommits: () => Promise<void>;
  readonly stopping: () => boolean;
  /** Called once the member has new partitions to work on. */
  readonly assigned: () => void;
}

/**
 * The consumer's `rebalance_cb`. An assignment is taken at once. A revocation first lets the revoked partitions'
 * running batches return (they see `isRunning()` false) and sends the pending commits, then gives the partitions
 * up: librdkafka holds the rebalance until then. When the consumer is stopping it has done both already.
 */
export function nativeRebalance(h: RebalanceHooks) {
  return (err: { code?: number }, assignment: TopicPartition[]): void => {
    const consumer = h.consumer();
    const cooperative = consumer.rebalanceProtocol() === 'COOPERATIVE';
    const tps = assignment.map(({ topic, partition }) => ({ topic, partition }));
    if (err.code === ASSIGN) {
      for (const tp of tps) h.partitions.add(tp);
      if (cooperative) consumer.incrementalAssign(tps);
      else consumer.assign(tps);
      h.membership.rebalanceCb(err, assignment);
      h.assigned();
      return;
    }
    if (err.code !== REVOKE) return;
    const revoked: NativePartition[] = [];
    for (const tp of tps) {
      const part = h.partitions.get(tp.topic, tp.partition);
      if (!part) continue;
      h.voidFetched(part);
      part.revoked = true;
      revoked.push(part);
    }
    const giveUp = () => {
      for (const part of revoked) h.partitions.delete(part);
      try {
        if (cooperative) consumer.incrementalUnassign(tps);
        else consumer.unassign();
      } catch {
        // The consumer is closing: nothing left to give up.
      }
      h.membership.rebalanceCb(err, assignment);
    };
    if (h.stopping()) return giveUp();
    const running = revoked.filter((p) => p.running);
    void Promise.all(running.map((p) => new Promise<void>((resolve) => (p.idle = resolve))))
      .then(() => h.flushCommits().catch(() => undefined))
      .then(giveUp);
  };
}
