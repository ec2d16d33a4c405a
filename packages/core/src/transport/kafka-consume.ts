import type { Consumer } from 'kafkajs';
import { normaliseHeaders } from '../event/headers';
import { createDeferrals } from './deferrals';
import { toTransportError } from './kafka-errors';
import { partitionClaims } from './partition-claims';
import type { ConsumeOptions, Consumption, IncomingRecord } from './transport';

// kafkajs' default `retry.initialRetryTime`, which it waits before restarting a crashed consumer.
const RESTART_DELAY_MS = 300;

/** Joins the group and runs `eachBatch` with explicit commits; returns a handle whose stop() drains and leaves. */
export async function runKafkaConsumer(
  consumer: Consumer,
  options: ConsumeOptions,
  concurrency: number,
): Promise<Consumption> {
  let stopping = false;
  const deferrals = createDeferrals();
  const claims = partitionClaims();
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning });
  } catch (err) {
    await consumer.disconnect().catch(() => undefined);
    throw toTransportError(`cannot join consumer group ${options.groupId}`, err);
  }
  // Emitted after each join and sync, before the new generation's first fetch.
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const { memberAssignment } = event.payload;
    claims.assigned(memberAssignment);
    const assigned = Object.entries(memberAssignment);
    options.onAssignment?.(assigned.flatMap(([topic, ps]) => ps.map((partition) => ({ topic, partition }))));
  });
  // kafkajs has left the group by the time it reports a crash, and restarts by itself when the error is
  // retriable (after `retryTime`, its initial retry time unless the error says otherwise).
  consumer.on(consumer.events.CRASH, (event) => {
    const { error, restart } = event.payload;
    if (restart) options.onRetry?.(toTransportError('consumer', error), RESTART_DELAY_MS);
    else if (!stopping) options.onCrash?.(toTransportError('consumer crashed', error));
  });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: concurrency,
    eachBatch: async (payload) => {
      const { batch } = payload;
      const records: IncomingRecord[] = batch.messages.map((m) => ({
        topic: batch.topic,
        partition: batch.partition,
        offset: m.offset,
        key: m.key,
        value: m.value,
        headers: normaliseHeaders(m.headers as Record<string, unknown> | undefined),
        timestamp: m.timestamp,
      }));
      await options.eachBatch(
        { topic: batch.topic, partition: batch.partition, records },
        {
          commit: async (nextOffset) => {
            // kafkajs fetches the next batch from the last resolved offset; without this it re-sends the batch.
            payload.resolveOffset((BigInt(nextOffset) - 1n).toString());
            await consumer.commitOffsets([
              { topic: batch.topic, partition: batch.partition, offset: nextOffset },
            ]);
          },
          heartbeat: () => payload.heartbeat(),
          isRunning: () => !stopping && payload.isRunning() && !payload.isStale(),
          // kafkajs fetches a broker's partitions together and fetches again only once every batch of the last
          // fetch returned, so waiting in here would hold back every partition of the broker. Paused, the
          // partition is left out of fetches; resumed, it is fetched from the last resolved offset again.
          deferPartition: (delayMs) => deferrals.defer(() => payload.pause(), delayMs),
          claim: claims.of(batch.topic, batch.partition),
        },
      );
    },
  });
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopping = true;
      deferrals.stop();
      stopped ??= consumer.disconnect().catch(() => undefined);
      return stopped;
    },
  };
}
