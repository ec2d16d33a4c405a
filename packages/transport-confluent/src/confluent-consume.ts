import {
  createDeferrals,
  createOffsetCommitter,
  incomingRecords,
  type GroupCommitters,
  type ConsumeOptions,
  type Consumption,
} from '@listen-to-yourself/core/transport-kit';
import type { ConfluentConsumer } from './confluent-client';
import { toTransportError } from './confluent-errors';
import { watchMembership, type Membership } from './confluent-membership';

/**
 * Creates the consumer (with `autoCommit: false`, read_committed isolation and the membership callbacks given),
 * subscribes and runs `eachBatch` with explicit commits, sent every `commitIntervalMs` (core's
 * `createOffsetCommitter`), at a revocation and before the member leaves. Resolves once the member got its first assignment (or
 * was stopped first, through the handle `track` receives at once) with a handle whose stop() leaves the group
 * and disconnects. The client never stops on its own: a fault it cannot recover from (a non-retriable error
 * from `eachBatch`, a fatal client error) is made a crash here, reported once the consumer left, as kafkajs does.
 */
export async function runConfluentConsumer(
  create: (membership: Membership) => ConfluentConsumer,
  options: ConsumeOptions,
  settings: {
    readonly concurrency: number;
    readonly commitIntervalMs: number;
    readonly committers: GroupCommitters;
  },
  track: (consumption: Consumption) => void,
): Promise<Consumption> {
  const membership = watchMembership(
    options,
    (err) => crash(err),
    // Sent while the partitions are still this member's; the client unassigns them meanwhile.
    () => void committer.flush().catch(() => undefined),
  );
  const consumer = create(membership);
  const committer = createOffsetCommitter({
    intervalMs: settings.commitIntervalMs,
    commit: async (offsets) => {
      try {
        await consumer.commitOffsets(offsets.map((o) => ({ ...o })));
      } catch (err) {
        throw toTransportError('offset commit', err);
      }
    },
  });
  const unregister = settings.committers.add(options.groupId, committer);
  let stopping = false;
  let crashed = false;
  const deferrals = createDeferrals();
  let stopped: Promise<void> | undefined;
  let leave!: () => void;
  const left = new Promise<void>((resolve) => (leave = resolve));
  const consumption: Consumption = {
    stop() {
      stopping = true;
      deferrals.stop();
      leave();
      // What is pending is committed now, and a batch still running commits its last mark before it returns.
      // The client leaves the group only once its batches returned, so the disconnect starts at once (it must:
      // started after a batch returned, it races the client's own seek back to that batch's first record).
      stopped ??= Promise.all([committer.stop(), consumer.disconnect().catch(() => undefined)]).then(() =>
        unregister(),
      );
      return stopped;
    },
  };
  const crash = (err: unknown) => {
    if (crashed || stopping) return;
    crashed = true;
    void consumption.stop().then(() => options.onCrash?.(err));
  };
  track(consumption);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics] });
    await consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: settings.concurrency,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const records = incomingRecords(batch);
        await runBatch(options, crash, () =>
          options.eachBatch(
            { topic: batch.topic, partition: batch.partition, records },
            {
              commit: (nextOffset) => {
                // Records up to here are done: without this the client seeks back and delivers them again.
                payload.resolveOffset((BigInt(nextOffset) - 1n).toString());
                return committer.mark(batch.topic, batch.partition, nextOffset);
              },
              // librdkafka heartbeats from its own thread.
              heartbeat: async () => undefined,
              isRunning: () => !stopping && !crashed && payload.isRunning() && !payload.isStale(),
              // Paused, the partition is left out of fetches; when the batch returns the client seeks back to the
              // first record not resolved, which is where the resumed partition is read from.
              deferPartition: (delayMs) => deferrals.defer(() => payload.pause(), delayMs),
            },
          ),
        );
      },
    });
  } catch (err) {
    await consumption.stop();
    throw toTransportError(`cannot join consumer group ${options.groupId}`, err);
  }
  await Promise.race([membership.joined, left]);
  return consumption;
}

/** Runs one batch; an error that says this consumer cannot go on (`retriable: false`) crashes it. */
async function runBatch(
  options: ConsumeOptions,
  crash: (err: unknown) => void,
  batch: () => Promise<void>,
): Promise<void> {
  try {
    await batch();
  } catch (err) {
    if ((err as { retriable?: unknown } | null)?.retriable === false) crash(err);
    throw err;
  }
}
