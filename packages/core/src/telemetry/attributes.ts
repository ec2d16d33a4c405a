/**
 * Attribute names of the OpenTelemetry messaging semantic conventions (Kafka) that our spans and metrics carry,
 * and the framework's own, under `lty.`.
 */
export const ATTR = Object.freeze({
  system: 'messaging.system',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  destination: 'messaging.destination.name',
  partition: 'messaging.destination.partition.id',
  consumerGroup: 'messaging.consumer.group.name',
  offset: 'messaging.kafka.offset',
  messageKey: 'messaging.kafka.message.key',
  messageId: 'messaging.message.id',
  batchCount: 'messaging.batch.message_count',
  errorType: 'error.type',
  service: 'lty.service',
  command: 'lty.command',
  eventType: 'lty.event.type',
  attempt: 'lty.attempt',
  outcome: 'lty.outcome',
  applyStatus: 'lty.apply.status',
  deadLetterReason: 'lty.dead_letter.reason',
});

/** Attribute values: strings, numbers and booleans, as OpenTelemetry takes them. */
export type Attributes = Record<string, string | number | boolean>;
