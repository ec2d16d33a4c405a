import { HEADERS } from '../event/headers';
import type { RecordPosition } from '../store/position';
import type { IncomingRecord, OutgoingRecord } from '../transport/transport';
import { DLQ_HEADERS } from './dead-letter';

/** Headers of the records a redrive or purge writes to the service's own topic. */
export const REDRIVE_HEADERS = Object.freeze({
  /** The consumer group a release marker or a redriven copy is meant for; every other group skips the record. */
  group: 'lty-redrive-group',
  /** One id per redrive or purge run, on its marker, its copies and the DLQ control record that answers it. */
  id: 'lty-redrive-id',
  /** On a release marker: the DLQ end offsets the run read up to, as JSON `{ "<partition>": "<offset>" }`. */
  snapshot: 'lty-redrive-snapshot',
  /** On a `released` control record without a key: the id of the keyless dead letter it settles. */
  letter: 'lty-redrive-letter',
});

/** Event type of a release marker: no handler ever routes it, so consumers that do not know it ignore it. */
export const RELEASE_MARKER_TYPE = 'lty.control.ReleaseKey';

/**
 * What a DLQ control record says. `released`: the key's dead letters before it are settled (redriven or purged)
 * and the key takes events again. `refused`: a release marker arrived after more of the key's events had been
 * parked than its run had read, so the key stays parked (run the redrive again). `barrier`: no meaning, written
 * only so a subscriber catching up on the DLQ has a record to reach.
 */
export type DlqControl = 'released' | 'refused' | 'barrier';

/** DLQ end offsets per partition, as a redrive run read them. */
export type DlqSnapshot = ReadonlyMap<number, string>;

/** The marker that asks the key's owner to release it, placed before the key's redriven copies. */
export function releaseMarker(input: {
  topic: string;
  partition: number;
  key: string;
  groupId: string;
  redriveId: string;
  snapshot: DlqSnapshot;
}): OutgoingRecord {
  return {
    topic: input.topic,
    partition: input.partition,
    key: input.key,
    value: Buffer.alloc(0),
    headers: {
      [HEADERS.eventType]: RELEASE_MARKER_TYPE,
      [HEADERS.eventId]: `${input.redriveId}:${input.key}`,
      [REDRIVE_HEADERS.group]: input.groupId,
      [REDRIVE_HEADERS.id]: input.redriveId,
      [REDRIVE_HEADERS.snapshot]: JSON.stringify(Object.fromEntries(input.snapshot)),
    },
  };
}

export function isReleaseMarker(record: IncomingRecord): boolean {
  return record.headers[HEADERS.eventType] === RELEASE_MARKER_TYPE;
}

/** The snapshot a release marker carries; an unreadable one reads as empty, which never releases anything. */
export function markerSnapshot(record: IncomingRecord): DlqSnapshot {
  try {
    const raw = JSON.parse(record.headers[REDRIVE_HEADERS.snapshot] ?? '{}') as Record<string, unknown>;
    return new Map(
      Object.entries(raw)
        .filter(([p, o]) => /^\d+$/.test(p) && typeof o === 'string' && /^\d+$/.test(o))
        .map(([p, o]) => [Number(p), o as string]),
    );
  } catch {
    return new Map();
  }
}

/** True when `position` lies at or past the snapshot's end of its partition (a partition it lacks counts as 0). */
export function pastSnapshot(position: RecordPosition, snapshot: DlqSnapshot): boolean {
  return BigInt(position.offset) >= BigInt(snapshot.get(position.partition) ?? '0');
}

/** A control record for the DLQ. */
export function dlqControlRecord(input: {
  dlqTopic: string;
  dlqPartition: number;
  key: string;
  groupId: string;
  control: DlqControl;
  redriveId?: string;
  /** Settles this keyless dead letter (with `released` and an empty key). */
  letter?: string;
}): OutgoingRecord {
  const headers: Record<string, string> = {
    [DLQ_HEADERS.control]: input.control,
    [DLQ_HEADERS.originalConsumerGroup]: input.groupId,
  };
  if (input.redriveId) headers[REDRIVE_HEADERS.id] = input.redriveId;
  if (input.letter) headers[REDRIVE_HEADERS.letter] = input.letter;
  return {
    topic: input.dlqTopic,
    partition: input.dlqPartition,
    key: input.key,
    value: Buffer.alloc(0),
    headers,
  };
}

/** The control a DLQ record carries, or undefined for a dead letter. */
export function controlOf(record: IncomingRecord): DlqControl | undefined {
  const c = record.headers[DLQ_HEADERS.control];
  return c === 'released' || c === 'refused' || c === 'barrier' ? c : undefined;
}

/** The DLQ partition for dead letters of a record read from `partition`: the same one whenever counts match. */
export function dlqPartitionFor(partition: number, dlqPartitions: number): number {
  return dlqPartitions > 0 ? partition % dlqPartitions : 0;
}

/** An outgoing record as a consumer would read it back at `position`. */
export function asIncoming(record: OutgoingRecord, position: RecordPosition): IncomingRecord {
  return {
    topic: position.topic,
    partition: position.partition,
    offset: position.offset,
    key: Buffer.from(record.key, 'utf8'),
    value: record.value,
    headers: record.headers,
    timestamp: String(Date.now()),
  };
}
