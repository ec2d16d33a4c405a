import { isLtyError } from '../errors/lty-error';
import { messageOf } from '../errors/errors';
import type { IncomingRecord, OutgoingRecord } from '../transport/transport';

/** Why a record went to the dead-letter topic. */
export type DeadLetterReason = 'decode' | 'schema' | 'handler' | 'non-retryable' | 'parked';

/**
 * Dead-letter header names. The `kafka_dlt-*` names are Spring Kafka's, so tools built for Spring's dead-letter
 * topics read ours; values are UTF-8 strings. The `lty-dlq-*` ones are ours.
 */
export const DLQ_HEADERS = Object.freeze({
  originalTopic: 'kafka_dlt-original-topic',
  originalPartition: 'kafka_dlt-original-partition',
  originalOffset: 'kafka_dlt-original-offset',
  originalTimestamp: 'kafka_dlt-original-timestamp',
  originalConsumerGroup: 'kafka_dlt-original-consumer-group',
  exceptionClass: 'kafka_dlt-exception-fqcn',
  exceptionMessage: 'kafka_dlt-exception-message',
  exceptionStacktrace: 'kafka_dlt-exception-stacktrace',
  reason: 'lty-dlq-reason',
  attempts: 'lty-dlq-attempts',
  firstFailureAt: 'lty-dlq-first-failure-at',
  lastFailureAt: 'lty-dlq-last-failure-at',
  /** Set on the DLQ's control records (`released`, `refused`, `barrier`) instead of the failure headers. */
  control: 'lty-dlq-control',
});

export interface DeadLetterInput {
  record: IncomingRecord;
  dlqTopic: string;
  dlqPartition: number;
  groupId: string;
  reason: DeadLetterReason;
  error: unknown;
  attempts: number;
  firstFailureAt: Date;
  lastFailureAt: Date;
}

/** Builds the dead letter: same key, the original value bytes untouched, original headers plus ours. */
export function deadLetterRecord(input: DeadLetterInput): OutgoingRecord {
  const { record, error } = input;
  const errorClass = isLtyError(error) ? error.name : error instanceof Error ? error.name : typeof error;
  const stack = error instanceof Error && error.stack ? error.stack : messageOf(error);
  return {
    topic: input.dlqTopic,
    partition: input.dlqPartition,
    key: record.key?.toString('utf8') ?? '',
    value: record.value ?? Buffer.alloc(0),
    headers: {
      ...record.headers,
      [DLQ_HEADERS.originalTopic]: record.topic,
      [DLQ_HEADERS.originalPartition]: String(record.partition),
      [DLQ_HEADERS.originalOffset]: record.offset,
      [DLQ_HEADERS.originalTimestamp]: record.timestamp,
      [DLQ_HEADERS.originalConsumerGroup]: input.groupId,
      [DLQ_HEADERS.exceptionClass]: errorClass,
      [DLQ_HEADERS.exceptionMessage]: messageOf(error),
      [DLQ_HEADERS.exceptionStacktrace]: stack.slice(0, 8000),
      [DLQ_HEADERS.reason]: input.reason,
      [DLQ_HEADERS.attempts]: String(input.attempts),
      [DLQ_HEADERS.firstFailureAt]: input.firstFailureAt.toISOString(),
      [DLQ_HEADERS.lastFailureAt]: input.lastFailureAt.toISOString(),
    },
  };
}
