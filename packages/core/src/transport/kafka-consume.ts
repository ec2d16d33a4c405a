import type { Consumer } from 'kafkajs';
import { createDeferrals } from './deferrals';
import { inFlightBatches } from './in-flight-batches';
import { incomingRecords } from './incoming-records';
import { toTransportError } from './kafka-errors';
import { createOffsetCommitter, type GroupCommitters } from './offset-committer';
import { partitionClaims } from './partition-claims';
import type { ConsumeOptions, Consumption } from './transport';

// kafkajs' default `retry.initialRetryTime`, which it waits before restarting a crashed consumer.
const RESTART_DELAY_MS = 300;

/**
 * Joins the group and runs `eachBatch` with explicit commits, sent every `commitIntervalMs` (see
 * `createOffsetCommitter`); returns a handle whose stop() drains, commits and leaves.
 */
export async function runKafkaConsumer(
  consumer: Consumer,
  options: ConsumeOptions,
  settings: {
    readonly concurrency: number;
    readonly commitIntervalMs: number;
    readonly committers: GroupCommitters;
  },
): Promise<Consumption> {
  let stopping = false;
  const deferrals = createDeferrals();
  const claims = partitionClaims();
  const batches = inFlightBatches();
  const committer = createOffsetCommitter({
    intervalMs: settings.commitIntervalMs,
    commit: (offsets) => consumer.commitOffsets(offsets.map((o) => ({ ...o }))),
  });
  const unregister = settings.committers.add(options.groupId, committer);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning });
  } catch (err) {
    unregister();
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
  // Before kafkajs joins again: a commit sent now still carries the generation that owns the partitions.
  consumer.on(consumer.events.REBALANCING, () => void committer.flush().catch(() => undefined));
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
    partitionsConsumedConcurrently: settings.concurrency,
    eachBatch: (payload) =>
      batches.run(async () => {
        const { batch } = payload;
        const records = incomingRecords(batch);
        await options.eachBatch(
          { topic: batch.topic, partition: batch.partition, records },
          {
            commit: (nextOffset) => {
              // kafkajs fetches the next batch from the last resolved offset; without this it re-sends the batch.
              payload.resolveOffset((BigInt(nextOffset) - 1n).toString());
              return committer.mark(batch.topic, batch.partition, nextOffset);
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
      }),
  });
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopping = true;
      deferrals.stop();
      // The batches' last marks are committed while this member still owns their partitions: kafkajs leaves
      // the group as soon as its own wait for them ends.
      stopped ??= batches
        .idle()
        .then(() => committer.stop())
        .then(() => {
          unregister();
          return consumer.disconnect();
        })
        .catch(() => undefined);
      return stopped;
    },
  };
}
