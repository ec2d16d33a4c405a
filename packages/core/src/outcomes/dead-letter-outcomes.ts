import { controlOf } from '../dlq/control-records';
import { DLQ_HEADERS, type DeadLetterReason } from '../dlq/dead-letter';
import { HEADERS } from '../event/headers';
import type { RecordPosition } from '../store/position';
import type { IncomingRecord } from '../transport/transport';

/** What the DLQ says about one delivery of an event: where it went instead of the store, and why. */
export interface DeadLetterFact {
  readonly eventId: string | undefined;
  readonly reason: DeadLetterReason;
  readonly error: string;
}

/**
 * The dead letters of one consumer group by the position of the record they replaced. Unlike the parking index,
 * it forgets nothing on a release: a purged or redriven delivery was still not applied at its own position.
 */
export interface DeadLetterOutcomes {
  add(record: IncomingRecord): void;
  at(position: RecordPosition): DeadLetterFact | undefined;
}

const REASONS: readonly string[] = ['decode', 'schema', 'handler', 'non-retryable', 'parked'];
const ERROR_CHARS = 500;

export function deadLetterOutcomes(options: { groupId: string }): DeadLetterOutcomes {
  const facts = new Map<string, DeadLetterFact>();
  const id = (topic: string, partition: number, offset: string) =>
    `${partition}\u0000${offset}\u0000${topic}`;
  return {
    add(record) {
      const h = record.headers;
      if (h[DLQ_HEADERS.originalConsumerGroup] !== options.groupId || controlOf(record) !== undefined) return;
      const topic = h[DLQ_HEADERS.originalTopic];
      const partition = Number(h[DLQ_HEADERS.originalPartition]);
      const offset = h[DLQ_HEADERS.originalOffset];
      const reason = h[DLQ_HEADERS.reason] ?? '';
      if (topic === undefined || !Number.isInteger(partition) || offset === undefined) return;
      facts.set(id(topic, partition, offset), {
        eventId: h[HEADERS.eventId],
        reason: (REASONS.includes(reason) ? reason : 'handler') as DeadLetterReason,
        error: (h[DLQ_HEADERS.exceptionMessage] ?? '').slice(0, ERROR_CHARS),
      });
    },
    at: (p) => facts.get(id(p.topic, p.partition, p.offset)),
  };
}
