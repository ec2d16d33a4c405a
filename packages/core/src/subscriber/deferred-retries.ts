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
 * Each count is kept per partition and under the partition's claim (`BatchControl.claim`): a healthy record of
 * another partition leaves it alone, and once the partition went to another member and came back, the count is
 * dropped, since attempts made elsewhere meanwhile are not in it (carrying it over would dead-letter the record
 * early, on fewer attempts by its new owner than `maxAttempts`).
 */
export interface DeferredRetries {
  /**
   * The count kept for this record (same topic, partition and offset, same claim), or a fresh one; forgets the
   * partition's count either way.
   */
  take(record: IncomingRecord, claim: number | undefined): RetryCount;
  keep(record: IncomingRecord, count: RetryCount, claim: number | undefined): void;
  /** True when a count is kept for this very record under this claim. */
  waiting(record: IncomingRecord, claim: number | undefined): boolean;
}

const FRESH: RetryCount = { attempt: 1, handlerFailures: 0, firstFailureAt: undefined };

export function deferredRetries(): DeferredRetries {
  type Kept = RetryCount & { readonly offset: string; readonly claim: number | undefined };
  const byPartition = new Map<string, Kept>();
  const slot = (r: IncomingRecord) => `${r.partition}\u0000${r.topic}`;
  const matches = (kept: Kept | undefined, r: IncomingRecord, claim: number | undefined) =>
    kept !== undefined && kept.offset === r.offset && kept.claim === claim;
  return {
    take(record, claim) {
      const key = slot(record);
      const kept = byPartition.get(key);
      byPartition.delete(key);
      if (!kept || !matches(kept, record, claim)) return FRESH;
      return {
        attempt: kept.attempt,
        handlerFailures: kept.handlerFailures,
        firstFailureAt: kept.firstFailureAt,
      };
    },
    waiting: (record, claim) => matches(byPartition.get(slot(record)), record, claim),
    keep(record, count, claim) {
      byPartition.set(slot(record), { ...count, offset: record.offset, claim });
    },
  };
}
