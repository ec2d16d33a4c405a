import { normaliseHeaders, type IncomingRecord } from '@listen-to-yourself/core/transport-kit';
import type { ConfluentNativeMessage } from './confluent-client';

/** A record of the native consumer as the framework's: headers as one object of strings, offsets as strings. */
export function nativeRecord(m: ConfluentNativeMessage): IncomingRecord {
  let headers: Record<string, unknown> | undefined;
  if (m.headers) {
    // The native API gives one object per header; a name given twice keeps its last value, as kafkajs' does.
    headers = {};
    for (const header of m.headers) for (const name in header) headers[name] = header[name];
  }
  const key = m.key ?? null;
  return {
    topic: m.topic,
    partition: m.partition,
    offset: String(m.offset),
    key: typeof key === 'string' ? Buffer.from(key) : key,
    value: m.value ?? null,
    headers: normaliseHeaders(headers),
    timestamp: String(m.timestamp ?? -1),
  };
}
