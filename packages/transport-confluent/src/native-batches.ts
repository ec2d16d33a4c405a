import type { ConsumeOptions } from '@listen-to-yourself/core/transport-kit';
import type { NativePartition, NativePartitions } from './native-partitions';

/** How long a partition whose batch threw waits before its records are read again. */
const THROWN_BATCH_DELAY_MS = 100;
/**
 * Batches a partition's queue may hold before the partition is paused. Pausing makes librdkafka drop what it had
 * prefetched for the partition and fetch it again on resume, so it is kept for a partition that is stuck rather
 * than one that is merely behind.
 */
export const PAUSE_AT_BATCHES = 4;

export interface NativeBatchesOptions {
  readonly options: ConsumeOptions;
  readonly partitions: NativePartitions;
  readonly concurrency: number;
  readonly maxBatchRecords: number;
  /** The batch's records before `nextOffset` are done: commit them. */
  readonly mark: (part: NativePartition, nextOffset: string) => Promise<void>;
  /** False once the consumer stops or crashed. */
  readonly isRunning: () => boolean;
  readonly crash: (err: unknown) => void;
  /** Reads the partition again from `offset` (after `delayMs`, when given), dropping what was fetched. */
  readonly rewind: (part: NativePartition, offset: string, delayMs?: number) => void;
}

/** The batches of the native consumer: at most one per partition, at most `concurrency` at a time. */
export interface NativeBatches {
  /** Starts a batch on every idle partition with queued records, up to `concurrency`. */
  dispatch(): void;
  /** Pauses the partitions whose queue holds `PAUSE_AT_BATCHES` batches or more. */
  fill(): void;
  /** Resolves once no batch runs. */
  idle(): Promise<void>;
}

export function createNativeBatches(o: NativeBatchesOptions): NativeBatches {
  const running = new Set<Promise<void>>();
  let started = 0;

  async function runBatch(part: NativePartition): Promise<void> {
    const records = part.queue.splice(0, o.maxBatchRecords);
    if (part.full && part.queue.length < o.maxBatchRecords) {
      part.full = false;
      o.partitions.syncPause(part);
    }
    const epoch = part.epoch;
    const end = (BigInt(records[records.length - 1]!.offset) + 1n).toString();
    let done = records[0]!.offset;
    let deferMs: number | undefined;
    const current = () => o.isRunning() && o.partitions.isCurrent(part) && part.epoch === epoch;
    try {
      await o.options.eachBatch(
        { topic: part.topic, partition: part.partition, records },
        {
          commit(nextOffset) {
            done = nextOffset;
            return o.mark(part, nextOffset);
          },
          // librdkafka heartbeats from its own thread.
          heartbeat: async () => undefined,
          isRunning: current,
          deferPartition(delayMs) {
            deferMs = delayMs;
          },
        },
      );
    } catch (err) {
      if ((err as { retriable?: unknown } | null)?.retriable === false) o.crash(err);
      deferMs ??= THROWN_BATCH_DELAY_MS;
    }
    // Records left undone are read again; nothing is skipped.
    if (current() && (deferMs !== undefined || done !== end)) o.rewind(part, done, deferMs);
  }

  function start(part: NativePartition): void {
    part.running = true;
    part.startedSeq = ++started;
    const batch = runBatch(part).finally(() => {
      part.running = false;
      running.delete(batch);
      part.idle?.();
      part.idle = undefined;
      dispatch();
    });
    running.add(batch);
  }

  function dispatch(): void {
    if (!o.isRunning()) return;
    const ready: NativePartition[] = [];
    for (const part of o.partitions.values()) {
      if (part.running || part.deferred || part.queue.length === 0 || !o.partitions.isCurrent(part)) continue;
      ready.push(part);
    }
    const free = o.concurrency - running.size;
    // With more partitions ready than slots, the one whose batch started longest ago goes first: none starves.
    if (ready.length > free) ready.sort((a, b) => a.startedSeq - b.startedSeq);
    for (const part of ready.slice(0, Math.max(0, free))) start(part);
  }

  return {
    dispatch,
    fill() {
      for (const part of o.partitions.values()) {
        if (part.full || part.queue.length < PAUSE_AT_BATCHES * o.maxBatchRecords) continue;
        part.full = true;
        o.partitions.syncPause(part);
      }
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
