import { normaliseHeaders } from '../event/headers';
import type { IncomingRecord } from './transport';

/** A fetched batch as kafkajs and its look-alikes (@confluentinc/kafka-javascript) hand it to `eachBatch`. */
export interface ClientBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly {
    readonly offset: string;
    readonly key: Buffer | null;
    readonly value: Buffer | null;
    readonly headers?: unknown;
    readonly timestamp: string;
  }[];
}

/** The batch's messages as the framework's records, headers as plain strings. */
export function incomingRecords(batch: ClientBatch): IncomingRecord[] {
  return batch.messages.map((m) => ({
    topic: batch.topic,
    partition: batch.partition,
    offset: m.offset,
    key: m.key,
    value: m.value,
    headers: normaliseHeaders(m.headers as Record<string, unknown> | undefined),
    timestamp: m.timestamp,
  }));
}
