import {
  createDeferrals,
  normaliseHeaders,
  type ConsumeOptions,
  type Consumption,
  type IncomingRecord,
} from '@listen-to-yourself/core';
import type { ConfluentConsumer } from './confluent-client';
import { toTransportError } from './confluent-errors';

/**
 * Joins the group and runs `eachBatch` with explicit commits; returns a handle whose stop() leaves the group and
 * disconnects. The consumer must have been created with `autoCommit: false` and read_committed isolation.
 */
export async function runConfluentConsumer(
  consumer: ConfluentConsumer,
  options: ConsumeOptions,
  concurrency: number,
): Promise<Consumption> {
  let stopping = false;
  const deferrals = createDeferrals();
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics] });
    await consumer.run({
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
          headers: normaliseHeaders(m.headers),
          timestamp: m.timestamp,
        }));
        await options.eachBatch(
          { topic: batch.topic, partition: batch.partition, records },
          {
            commit: async (nextOffset) => {
              // Records up to here are done: without this the client seeks back and delivers them again.
              payload.resolveOffset((BigInt(nextOffset) - 1n).toString());
              try {
                await consumer.commitOffsets([
                  { topic: batch.topic, partition: batch.partition, offset: nextOffset },
                ]);
              } catch (err) {
                throw toTransportError(`commit of ${batch.topic}/${batch.partition}`, err);
              }
            },
            // librdkafka heartbeats from its own thread.
            heartbeat: async () => undefined,
            isRunning: () => !stopping && payload.isRunning() && !payload.isStale(),
            // Paused, the partition is left out of fetches; when the batch returns the client seeks back to the
            // first record not resolved, which is where the resumed partition is read from.
            deferPartition: (delayMs) => deferrals.defer(() => payload.pause(), delayMs),
          },
        );
      },
    });
  } catch (err) {
    await consumer.disconnect().catch(() => undefined);
    throw toTransportError(`cannot join consumer group ${options.groupId}`, err);
  }
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
