// Keeps a run's pre-produced events from its instances until every instance is in the consumer group, for
// benchmarks/apply/scaling.ts. Without it the first instance to join (group.initial.rebalance.delay.ms is 0 here,
// and instances start moments apart) consumes alone, then the group rebalances as the others come in, and the
// figure is mostly one instance's plus the rebalances.
// How: a transaction left open on every partition holds back the last stable offset, and read_committed consumers
// (the framework's, and kafkajs's default, so rawConsumer's) read nothing past it, transactional or not. Events
// produced after it wait; aborting the transaction releases them all at once, and its records are never read.
import * as c from './common';

export interface HeldTopic {
  /** Resolves once `groupId` is Stable with `members` members: every instance has its partitions. */
  waitForGroup(groupId: string, members: number): Promise<void>;
  /** Aborts the transaction: every record produced after it becomes readable at once. */
  release(): Promise<void>;
  /** Releases if that was not done, and disconnects. */
  close(): Promise<void>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates `topic` (and its DLQ) and opens the transaction on each of its partitions, before any event. */
export async function holdBack(topic: string): Promise<HeldTopic> {
  const admin = c.kafka.admin();
  await admin.connect();
  const producer = c.kafka.producer({
    transactionalId: c.unique('hold'),
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: 600_000, // the broker aborts it after this: a run's set-up never takes that long
  });
  let open = false;
  try {
    const topics = [topic, `${topic}.dlq`].map((t) => ({ topic: t, numPartitions: c.PARTITIONS }));
    await admin.createTopics({ topics, waitForLeaders: true });
    await producer.connect();
    const tx = await producer.transaction();
    open = true;
    const messages = Array.from({ length: c.PARTITIONS }, (_, partition) => ({ partition, value: 'hold' }));
    for (let attempt = 1; ; attempt++) {
      try {
        await tx.send({ topic, acks: -1, messages });
        break;
      } catch (err) {
        if (attempt >= 30) throw err; // as in produceEvents: a new topic's metadata can take a moment
        await pause(500);
      }
    }
    const release = async () => {
      if (!open) return;
      open = false;
      await tx.abort();
    };
    return {
      async waitForGroup(groupId, members) {
        const deadline = Date.now() + 120_000;
        for (;;) {
          const [group] = (await admin.describeGroups([groupId])).groups;
          if (group?.state === 'Stable' && group.members.length === members) return;
          if (Date.now() > deadline) {
            throw new Error(`group not Stable with ${members} members in 120 s (${group?.state})`);
          }
          await pause(100);
        }
      },
      release,
      async close() {
        await release().catch(() => undefined);
        await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
      },
    };
  } catch (err) {
    await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    throw err;
  }
}
