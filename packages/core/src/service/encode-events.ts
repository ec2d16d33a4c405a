import type { Codec } from '../codec/codec';
import { encodeNow } from '../codec/encode-now';
import type { PreparedEvent } from '../command/prepare-command';
import type { EventDefinition } from '../event/define-event';
import { HEADERS } from '../event/headers';
import { partitionForKey } from '../transport/partitioner';
import type { OutgoingRecord } from '../transport/transport';
import { injectTraceContext } from '../telemetry/index';

/** Metadata shared by the events of one command (or of one handler's follow-up events). */
export interface EventOrigin {
  readonly service: string;
  readonly command?: string;
  readonly idempotencyKey?: string;
  readonly inputFingerprint?: string;
  readonly correlationId: string;
  readonly causationId?: string;
}

// The headers that depend on an event's type alone, made once per type: this runs for every event produced.
const typeHeaders = new WeakMap<EventDefinition, readonly [type: string, version: string]>();

function headersOfType(definition: EventDefinition): readonly [string, string] {
  let found = typeHeaders.get(definition);
  if (!found) typeHeaders.set(definition, (found = [definition.type, String(definition.version)]));
  return found;
}

/**
 * Encodes prepared events into records for `topic`, partitioned by key, with the framework's headers. At once
 * (no promise) when the codec can encode without waiting (see `withEncodeNow`), as the framework's codecs do once
 * they know the event types' schemas.
 */
export function encodeEvents(
  codec: Codec,
  topic: string,
  partitionCount: number,
  events: readonly PreparedEvent[],
  origin: EventOrigin,
): OutgoingRecord[] | Promise<OutgoingRecord[]> {
  const producedAt = isoNow();
  const records: (OutgoingRecord | Promise<OutgoingRecord>)[] = [];
  let waiting = false;
  for (const e of events) {
    const headers = headersOf(e, origin, producedAt);
    const input = { topic, definition: e.definition, payload: e.payload };
    const value = encodeNow(codec, input);
    if (value) records.push(recordOf(topic, partitionCount, e, value, headers));
    else {
      waiting = true;
      records.push(codec.encode(input).then((v) => recordOf(topic, partitionCount, e, v, headers)));
    }
  }
  return waiting ? Promise.all(records.map((r) => Promise.resolve(r))) : (records as OutgoingRecord[]);
}

function recordOf(
  topic: string,
  partitionCount: number,
  e: PreparedEvent,
  value: Buffer,
  headers: Record<string, string>,
): OutgoingRecord {
  return { topic, partition: partitionForKey(e.key, partitionCount), key: e.key, value, headers };
}

function headersOf(e: PreparedEvent, origin: EventOrigin, producedAt: string): Record<string, string> {
  const [type, version] = headersOfType(e.definition);
  const headers: Record<string, string> = {
    [HEADERS.eventId]: e.id,
    [HEADERS.eventType]: type,
    [HEADERS.schemaVersion]: version,
    [HEADERS.correlationId]: origin.correlationId,
    [HEADERS.producedAt]: producedAt,
    [HEADERS.service]: origin.service,
  };
  if (origin.command) headers[HEADERS.command] = origin.command;
  if (origin.idempotencyKey) headers[HEADERS.idempotencyKey] = origin.idempotencyKey;
  if (origin.inputFingerprint) headers[HEADERS.inputFingerprint] = origin.inputFingerprint;
  if (origin.causationId) headers[HEADERS.causationId] = origin.causationId;
  injectTraceContext(headers);
  return headers;
}

// `new Date().toISOString()` costs about a microsecond; sends within one millisecond share the string.
let isoAt = NaN;
let iso = '';
function isoNow(): string {
  const now = Date.now();
  if (now !== isoAt) {
    iso = new Date(now).toISOString();
    isoAt = now;
  }
  return iso;
}
