import type { Codec } from '../codec/codec';
import type { PreparedEvent } from '../command/prepare-command';
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

/** Encodes prepared events into records for `topic`, partitioned by key, with the framework's headers. */
export async function encodeEvents(
  codec: Codec,
  topic: string,
  partitionCount: number,
  events: readonly PreparedEvent[],
  origin: EventOrigin,
): Promise<OutgoingRecord[]> {
  const producedAt = new Date().toISOString();
  return Promise.all(
    events.map(async (e) => {
      const headers: Record<string, string> = {
        [HEADERS.eventId]: e.id,
        [HEADERS.eventType]: e.definition.type,
        [HEADERS.schemaVersion]: String(e.definition.version),
        [HEADERS.correlationId]: origin.correlationId,
        [HEADERS.producedAt]: producedAt,
        [HEADERS.service]: origin.service,
      };
      if (origin.command) headers[HEADERS.command] = origin.command;
      if (origin.idempotencyKey) headers[HEADERS.idempotencyKey] = origin.idempotencyKey;
      if (origin.inputFingerprint) headers[HEADERS.inputFingerprint] = origin.inputFingerprint;
      if (origin.causationId) headers[HEADERS.causationId] = origin.causationId;
      injectTraceContext(headers);
      const value = await codec.encode({ topic, definition: e.definition, payload: e.payload });
      return { topic, partition: partitionForKey(e.key, partitionCount), key: e.key, value, headers };
    }),
  );
}
