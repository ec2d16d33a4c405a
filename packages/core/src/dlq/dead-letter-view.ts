import { HEADERS } from '../event/headers';
import type { RecordPosition } from '../store/position';
import type { IncomingRecord } from '../transport/transport';
import { REDRIVE_HEADERS } from './control-records';
import { DLQ_HEADERS, type DeadLetterReason } from './dead-letter';

/**
 * One logical dead letter: an event that is not applied and waits for a redrive or purge. A crash between the
 * DLQ produce and the offset commit, or a failed release, can put several DLQ records of one event there; they
 * are one dead letter, shown once (the first copy) with their count in `copies`.
 */
export interface DeadLetter {
  /** The event id, or `dlq:<partition>:<offset>` for a record that has none. What show/redrive/purge take. */
  readonly id: string;
  readonly eventId: string | undefined;
  /** The record's key; empty for a record without one (it parks nothing and is released on its own). */
  readonly key: string;
  readonly eventType: string | undefined;
  /** Why the first copy went to the DLQ. */
  readonly reason: DeadLetterReason;
  readonly original: RecordPosition & { readonly timestamp: string | undefined };
  /** Where the first copy is in the dead-letter topic. */
  readonly dlq: RecordPosition;
  readonly copies: number;
  readonly attempts: number;
  readonly error: { readonly class: string; readonly message: string; readonly stack: string };
  readonly firstFailureAt: string | undefined;
  readonly lastFailureAt: string | undefined;
  /** The record's own headers, without the dead-letter and redrive ones: what a redrive produces again. */
  readonly headers: Readonly<Record<string, string>>;
  /** The original value bytes, untouched. */
  readonly value: Buffer;
}

const REASONS: readonly string[] = ['decode', 'schema', 'handler', 'non-retryable', 'parked'];
const REDRIVE_NAMES = new Set<string>(Object.values(REDRIVE_HEADERS));

/** The id `list`, `show`, `redrive` and `purge` know a dead letter by: its event id, else its DLQ place. */
export function deadLetterId(record: IncomingRecord): string {
  return record.headers[HEADERS.eventId] ?? `dlq:${record.partition}:${record.offset}`;
}

/** The headers the record had before it was dead-lettered (and before any earlier redrive). */
export function originalHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(
      ([name]) => !name.startsWith('kafka_dlt-') && !name.startsWith('lty-dlq-') && !REDRIVE_NAMES.has(name),
    ),
  );
}

/**
 * Folds a key's outstanding DLQ records (in DLQ order) into its logical dead letters, keeping the first copy of
 * each event: the first copy's place is the event's place in the key's original order.
 */
export function logicalDeadLetters(records: readonly IncomingRecord[]): DeadLetter[] {
  const byId = new Map<string, { first: IncomingRecord; copies: number }>();
  for (const r of records) {
    const id = deadLetterId(r);
    const seen = byId.get(id);
    if (seen) seen.copies++;
    else byId.set(id, { first: r, copies: 1 });
  }
  return [...byId].map(([id, { first, copies }]) => toDeadLetter(id, first, copies));
}

function toDeadLetter(id: string, r: IncomingRecord, copies: number): DeadLetter {
  const h = r.headers;
  const reason = h[DLQ_HEADERS.reason] ?? '';
  return {
    id,
    eventId: h[HEADERS.eventId],
    key: r.key?.toString('utf8') ?? '',
    eventType: h[HEADERS.eventType],
    reason: (REASONS.includes(reason) ? reason : 'handler') as DeadLetterReason,
    original: {
      topic: h[DLQ_HEADERS.originalTopic] ?? '',
      partition: Number(h[DLQ_HEADERS.originalPartition] ?? -1),
      offset: h[DLQ_HEADERS.originalOffset] ?? '',
      timestamp: h[DLQ_HEADERS.originalTimestamp],
    },
    dlq: { topic: r.topic, partition: r.partition, offset: r.offset },
    copies,
    attempts: Number(h[DLQ_HEADERS.attempts] ?? 0),
    error: {
      class: h[DLQ_HEADERS.exceptionClass] ?? '',
      message: h[DLQ_HEADERS.exceptionMessage] ?? '',
      stack: h[DLQ_HEADERS.exceptionStacktrace] ?? '',
    },
    firstFailureAt: h[DLQ_HEADERS.firstFailureAt],
    lastFailureAt: h[DLQ_HEADERS.lastFailureAt],
    headers: originalHeaders(h),
    value: r.value ?? Buffer.alloc(0),
  };
}
