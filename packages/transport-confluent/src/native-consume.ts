import { TransportError } from '@listen-to-yourself/core';
import {
  createDeferrals,
  createOffsetCommitter,
  type ConsumeOptions,
  type Consumption,
  type GroupCommitters,
} from '@listen-to-yourself/core/transport-kit';
import type { ConfluentNativeConsumer, ConfluentNativeMessage } from './confluent-client';
import { isFatal, toTransportError } from './confluent-errors';
import { watchMembership } from './confluent-membership';
import { nativeRecord } from './native-records';
import { NativePartitions, type NativePartition } from './native-partitions';
import { nativeRebalance } from './native-rebalance';
import { createNativeBatches } from './native-batches';

/** How long one consume call waits for a first record: also how soon a stopping consumer notices. */
const CONSUME_WAIT_MS = 100;
/** How long a seek back may take before the consumer gives up and crashes (its records are read again). */
const SEEK_TIMEOUT_MS = 10_000;

export interface NativeConsumeSettings {
  readonly concurrency: number;
  readonly maxBatchRecords: number;
  readonly commitIntervalMs: number;
  readonly committers: GroupCommitters;
}

/**
 * A consumer on the library's native API. One loop fetches without waiting for the batches it started: each
 * partition's records queue up while its batch runs (a partition whose queue is full is paused), and the next
 * batch of every idle partition starts in the same turn, so a store that shares a transaction among one turn's
 * calls gets one transaction that grows with the load. Commits go out every `commitIntervalMs`, at a revocation
 * and before the member leaves. Resolves once the member got its first assignment (or was stopped first, through
 * the handle `track` receives at once) with a handle whose stop() leaves the group and disconnects.
 */
export async function runNativeConsumer(
  create: (rebalance: ReturnType<typeof nativeRebalance>) => ConfluentNativeConsumer,
  options: ConsumeOptions,
  settings: NativeConsumeSettings,
  track: (consumption: Consumption) => void,
): Promise<Consumption> {
  let consumer!: ConfluentNativeConsumer;
  let stopping = false;
  let crashed = false;
  let connected = false;
  let generation = 0;
  const seeks: { part: NativePartition; offset: string }[] = [];
  const membership = watchMembership(options, (err) => crash(err));
  const partitions = new NativePartitions(() => consumer);
  const committer = createOffsetCommitter({
    intervalMs: settings.commitIntervalMs,
    commit: (offsets) =>
      new Promise<void>((resolve, reject) =>
        consumer.commitCb(
          offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: Number(o.offset) })),
          (err) => (err ? reject(toTransportError('offset commit', err)) : resolve()),
        ),
      ),
  });
  const unregister = settings.committers.add(options.groupId, committer);
  const deferrals = createDeferrals();
  const voidFetched = (part: NativePartition) => {
    part.epoch = ++generation;
    part.queue.length = 0;
    part.full = false;
  };
  const batches = createNativeBatches({
    options,
    partitions,
    concurrency: settings.concurrency,
    maxBatchRecords: settings.maxBatchRecords,
    mark: (part, nextOffset) => committer.mark(part.topic, part.partition, nextOffset),
    isRunning: () => !stopping && !crashed,
    crash: (err) => crash(err),
    // Read again from `offset`: the loop seeks before its next consume call, after `delayMs` when given.
    rewind(part, offset, delayMs) {
      voidFetched(part);
      seeks.push({ part, offset });
      if (delayMs === undefined) return partitions.syncPause(part);
      deferrals.defer(() => {
        part.deferred = true;
        partitions.syncPause(part);
        return () => {
          part.deferred = false;
          partitions.syncPause(part);
        };
      }, delayMs);
    },
  });
  const rebalance = nativeRebalance({
    consumer: () => consumer,
    partitions,
    membership,
    voidFetched,
    flushCommits: () => committer.flush(),
    stopping: () => stopping,
    assigned: () => batches.dispatch(),
  });
  let loop: Promise<void> = Promise.resolve();
  let stopped: Promise<void> | undefined;
  let leave!: () => void;
  const left = new Promise<void>((resolve) => (leave = resolve));
  const consumption: Consumption = {
    stop() {
      stopping = true;
      deferrals.stop();
      leave();
      stopped ??= (async () => {
        await loop;
        await batches.idle();
        await committer.stop().catch(() => undefined);
        if (connected) await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
        unregister();
      })();
      return stopped;
    },
  };
  const crash = (err: unknown) => {
    if (crashed || stopping) return;
    crashed = true;
    void consumption.stop().then(() => options.onCrash?.(err));
  };

  async function applySeeks(): Promise<void> {
    while (seeks.length > 0) {
      const { part, offset } = seeks.shift()!;
      if (!partitions.isCurrent(part)) continue;
      const tp = { topic: part.topic, partition: part.partition, offset: Number(offset) };
      const failed = await new Promise<Error | undefined>((resolve) =>
        consumer.seek(tp, SEEK_TIMEOUT_MS, (err) => resolve(err ?? undefined)),
      );
      // Without the seek the partition would go on after records never applied: start again from the commits.
      if (failed && partitions.isCurrent(part)) crash(toTransportError(`seek to ${offset}`, failed));
    }
  }

  const consumeOnce = () =>
    new Promise<ConfluentNativeMessage[]>((resolve, reject) =>
      consumer.consume(settings.maxBatchRecords * settings.concurrency, (err, messages) =>
        err ? reject(err) : resolve(messages),
      ),
    );

  async function run(): Promise<void> {
    while (!stopping && !crashed) {
      await applySeeks();
      const startedAt = generation;
      let messages: ConfluentNativeMessage[];
      try {
        messages = await consumeOnce();
      } catch (err) {
        if (isFatal(err))
          crash(new TransportError(`consumer: ${(err as Error).message}`, { retriable: false }));
        else await new Promise((r) => setTimeout(r, CONSUME_WAIT_MS));
        continue;
      }
      for (const m of messages) {
        const part = partitions.get(m.topic, m.partition);
        if (!part || !partitions.isCurrent(part) || part.epoch > startedAt) continue;
        part.queue.push(nativeRecord(m));
      }
      batches.fill();
      batches.dispatch();
    }
  }

  track(consumption);
  try {
    consumer = create(rebalance);
    consumer.on('event.error', (err) => {
      if (isFatal(err)) crash(new TransportError(`consumer: ${err.message}`, { retriable: false }));
    });
    await new Promise<void>((resolve, reject) =>
      consumer.connect(null, (err) => (err ? reject(err) : resolve())),
    );
    connected = true;
    consumer.setDefaultConsumeTimeout(CONSUME_WAIT_MS);
    consumer.setDefaultIsTimeoutOnlyForFirstMessage(true);
    consumer.subscribe([...options.topics]);
  } catch (err) {
    await consumption.stop().catch(() => undefined);
    throw toTransportError(`cannot join consumer group ${options.groupId}`, err);
  }
  loop = run();
  await Promise.race([membership.joined, left]);
  return consumption;
}
