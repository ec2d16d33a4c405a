import type { Codec } from '../codec/codec';
import { DecodeError, EventSchemaError } from '../errors/errors';
import { parseSchema } from '../errors/parse-schema';
import { toIssues } from '../errors/zod-issues';
import type { EventDefinition } from '../event/define-event';
import type { ConsumedEvent } from '../event/envelope';
import { HEADERS } from '../event/headers';
import type { IncomingRecord } from '../transport/transport';

/** The type named by a record's header, or undefined when the record carries none. */
export function recordType(record: IncomingRecord): string | undefined {
  return record.headers[HEADERS.eventType];
}

/**
 * Decodes a record and checks it against its definition's schema. Throws DecodeError (framing, missing
 * headers) or EventSchemaError (payload fails the schema): both dead-letter at once. A codec's retriable error
 * passes through to be retried.
 */
export async function decodeRecord(
  codec: Codec,
  record: IncomingRecord,
  definition: EventDefinition,
): Promise<ConsumedEvent> {
  const eventId = record.headers[HEADERS.eventId];
  if (!eventId) throw new DecodeError(`Record at ${where(record)} has no ${HEADERS.eventId} header`);
  if (record.value === null) throw new DecodeError(`Record at ${where(record)} has no value (a tombstone)`);
  const key = record.key?.toString('utf8');
  if (!key) throw new DecodeError(`Record at ${where(record)} has no key`);
  const raw = await codec.decode({ topic: record.topic, value: record.value, definition });
  const parsing = parseSchema(definition.schema, raw);
  const parsed = parsing instanceof Promise ? await parsing : parsing;
  if (!parsed.success) throw new EventSchemaError(definition.type, toIssues(parsed.error));
  const h = record.headers;
  return {
    type: definition.type,
    payload: parsed.data,
    meta: {
      eventId,
      type: definition.type,
      key,
      schemaVersion: Number(h[HEADERS.schemaVersion] ?? definition.version),
      position: { topic: record.topic, partition: record.partition, offset: record.offset },
      command: h[HEADERS.command],
      idempotencyKey: h[HEADERS.idempotencyKey],
      correlationId: h[HEADERS.correlationId],
      causationId: h[HEADERS.causationId],
      producedAt: h[HEADERS.producedAt],
      attempt: 1,
      headers: h,
    },
  };
}

function where(record: IncomingRecord): string {
  return `${record.topic}[${record.partition}]@${record.offset}`;
}
