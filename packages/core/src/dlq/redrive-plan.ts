import { partitionForKey } from '../transport/partitioner';
import type { OutgoingRecord } from '../transport/transport';
import { REDRIVE_HEADERS, releaseMarker, type DlqSnapshot } from './control-records';
import type { DeadLetter } from './dead-letter-view';

/**
 * Which dead letters a redrive or purge takes. A key is always released as a whole, because its later events
 * wait behind its first dead letter: `eventId` selects the key of that event.
 */
export type DeadLetterSelection =
  { readonly all: true } | { readonly key: string } | { readonly eventId: string };

/** What one run produces to the service's topic. */
export interface ReleasePlan {
  readonly keys: readonly string[];
  /** Per key: its release marker, then its redriven copies in the key's original order. */
  readonly records: readonly OutgoingRecord[];
  readonly redriven: readonly DeadLetter[];
  readonly purged: readonly DeadLetter[];
}

export interface ReleasePlanInput {
  readonly action: 'redrive' | 'purge';
  readonly selection: DeadLetterSelection;
  /** Every outstanding dead letter of the group, each key's in its original order. */
  readonly deadLetters: readonly DeadLetter[];
  readonly topic: string;
  readonly partitionCount: number;
  readonly groupId: string;
  readonly redriveId: string;
  readonly snapshot: DlqSnapshot;
}

/**
 * Plans a run. Redrive: every dead letter of the selected keys is produced again. Purge by key or all: none is.
 * Purge by event id: that event is dropped and the key's other dead letters, which only waited behind it, are
 * redriven. The marker goes first on the key's partition, so the owner releases the key before the copies
 * arrive and a copy that fails again parks the key once more.
 */
export function planRelease(input: ReleasePlanInput): ReleasePlan {
  const sel = input.selection;
  const keys =
    'all' in sel
      ? [...new Set(input.deadLetters.map((d) => d.key))]
      : 'key' in sel
        ? input.deadLetters.some((d) => d.key === sel.key)
          ? [sel.key]
          : []
        : input.deadLetters.filter((d) => d.id === sel.eventId).map((d) => d.key);
  const records: OutgoingRecord[] = [];
  const redriven: DeadLetter[] = [];
  const purged: DeadLetter[] = [];
  for (const key of keys) {
    const partition = partitionForKey(key, input.partitionCount);
    const { topic, groupId, redriveId, snapshot } = input;
    records.push(releaseMarker({ topic, partition, key, groupId, redriveId, snapshot }));
    for (const d of input.deadLetters.filter((x) => x.key === key)) {
      const drop = input.action === 'purge' && ('eventId' in sel ? d.id === sel.eventId : true);
      if (drop) {
        purged.push(d);
        continue;
      }
      redriven.push(d);
      records.push({
        topic,
        partition,
        key,
        value: d.value,
        headers: { ...d.headers, [REDRIVE_HEADERS.group]: groupId, [REDRIVE_HEADERS.id]: redriveId },
      });
    }
  }
  return { keys, records, redriven, purged };
}
