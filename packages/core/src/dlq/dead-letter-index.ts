import type { RecordPosition } from '../store/position';
import type { IncomingRecord } from '../transport/transport';
import { controlOf } from './control-records';
import { DLQ_HEADERS } from './dead-letter';
import { keylessDeadLetters } from './keyless-dead-letters';

/** What the DLQ says about one key of one consumer group. */
export interface KeyDlqState {
  /** True while the key has a dead letter not yet settled by a `released` control record. */
  readonly parked: boolean;
  /** The key's latest dead letter (parked records included). */
  readonly lastDeadLetter: RecordPosition | undefined;
  /** The latest DLQ record folded in for this key: older ones arriving later are ignored. */
  readonly at: RecordPosition;
  /** The key's unsettled dead letters in DLQ order (kept only with `keepRecords`). */
  readonly outstanding: readonly IncomingRecord[];
}

/**
 * The DLQ folded into per-key state for one consumer group. A key is parked from its first dead letter until a
 * `released` control record; records of other groups are ignored. `add` is idempotent and order-tolerant per
 * key: a record at or before the key's latest folded position changes nothing, so a subscriber may fold in what
 * it produced itself before its tail reads it back. Dead letters without a key park nothing; with `keepRecords`
 * they are kept apart until settled (see `KeylessDeadLetters`).
 */
export interface DeadLetterIndex {
  add(record: IncomingRecord): void;
  isParked(key: string): boolean;
  state(key: string): KeyDlqState | undefined;
  /** Keys with unsettled dead letters. */
  parkedKeys(): string[];
  /** Unsettled dead letters of records without a key, in DLQ order (kept only with `keepRecords`). */
  keyless(): IncomingRecord[];
}

export function deadLetterIndex(options: { groupId: string; keepRecords?: boolean }): DeadLetterIndex {
  const keys = new Map<string, KeyDlqState>();
  const keyless = keylessDeadLetters();
  return {
    add(record) {
      if (record.headers[DLQ_HEADERS.originalConsumerGroup] !== options.groupId) return;
      const key = record.key?.toString('utf8');
      if (!key) {
        if (options.keepRecords) keyless.add(record);
        return;
      }
      const control = controlOf(record);
      if (control === 'barrier' || control === 'refused') return;
      const prev = keys.get(key);
      const at: RecordPosition = { topic: record.topic, partition: record.partition, offset: record.offset };
      if (prev && !isAfter(at, prev.at)) return;
      if (control === 'released') {
        keys.set(key, { parked: false, lastDeadLetter: prev?.lastDeadLetter, at, outstanding: [] });
        return;
      }
      const outstanding = options.keepRecords ? [...(prev?.outstanding ?? []), record] : [];
      keys.set(key, { parked: true, lastDeadLetter: at, at, outstanding });
    },
    isParked: (key) => keys.get(key)?.parked === true,
    state: (key) => keys.get(key),
    parkedKeys: () => [...keys].filter(([, s]) => s.parked).map(([k]) => k),
    keyless: () => keyless.outstanding(),
  };
}

/**
 * Within a partition, offset order. A key's records share one DLQ partition unless the topic's partition count
 * changed; then the newer partition's record is taken as later, which is the best the DLQ can tell.
 */
function isAfter(a: RecordPosition, b: RecordPosition): boolean {
  if (a.partition !== b.partition) return true;
  return BigInt(a.offset) > BigInt(b.offset);
}
