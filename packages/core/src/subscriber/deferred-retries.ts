import type { IncomingRecord } from '../transport/transport';

/** Where a record's retries stand. */
export interface RetryCount {
  /** The attempt about to run, from 1. */
  readonly attempt: number;
  /** Handler errors so far (transient faults do not count towards `maxAttempts`). */
  readonly handlerFailures: number;
  readonly firstFailureAt: Date | undefined;
}

/**
 * The retry counts of records whose partition was deferred, so the record delivered again after the delay goes on
 * with its next attempt instead of starting over. At most one record per partition waits, so this stays small.
 */
export interface DeferredRetries {
  /** The count kept for this record (same topic, partition and offset), or a fresh one; forgets it either way. */
  take(record: IncomingRecord): RetryCount;
  keep(record: IncomingRecord, count: RetryCount): void;
  /** True when a count is kept for this very record. */
  waiting(record: IncomingRecord): boolean;
}

const FRESH: RetryCount = { attempt: 1, handlerFailures: 0, firstFailureAt: undefined };

export function deferredRetries(): DeferredRetries {
  const byPartition = new Map<string, RetryCount & { readonly offset: string }>();
  const slot = (r: IncomingRecord) => `${r.partition}\u0000${r.topic}`;
  return {
    take(record) {
      const key = slot(record);
      const kept = byPartition.get(key);
      byPartition.delete(key);
      if (!kept || kept.offset !== record.offset) return FRESH;
      return {
        attempt: kept.attempt,
        handlerFailures: kept.handlerFailures,
        firstFailureAt: kept.firstFailureAt,
      };
    },
    waiting(record) {
      return byPartition.get(slot(record))?.offset === record.offset;
    },
    keep(record, count) {
      byPartition.set(slot(record), { ...count, offset: record.offset });
    },
  };
}
