import { partitionForKey } from '../transport/partitioner';
import type { OutgoingRecord } from '../transport/transport';
import { dlqControlRecord, REDRIVE_HEADERS, releaseMarker, type DlqSnapshot } from './control-records';
import type { DeadLetter } from './dead-letter-view';

/**
 * Which dead letters a redrive or purge takes. A key is always released as a whole, because its later events
 * wait behind its first dead letter: `eventId` selects the key of that event. A dead letter without a key is
 * taken alone, by its id or by `all`.
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
  readonly dlqTopic: string;
  readonly partitionCount: number;
  readonly groupId: string;
  readonly redriveId: string;
  readonly snapshot: DlqSnapshot;
  /**
   * Marker after the copies, each copy carrying the snapshot: for a redrive topic beside the consumed one, where
   * the key's new events keep arriving on another topic. The key stays parked for them until its copies are done;
   * a copy passes the parking while no dead letter of its key lies past the snapshot. @defaultValue false
   */
  readonly markerLast?: boolean;
}

/**
 * Plans a run. Redrive: every dead letter of the selected keys is produced again. Purge by key or all: none is.
 * Purge by event id: that event is dropped and the key's other dead letters, which only waited behind it, are
 * redriven. The marker goes first on the key's partition, so the owner releases the key before the copies
 * arrive and a copy that fails again parks the key once more. A dead letter without a key parks nothing: it is
 * selected by its id or by `all`, and settled by the run itself (see {@link planKeyless}).
 */
export function planRelease(input: ReleasePlanInput): ReleasePlan {
  const sel = input.selection;
  const keyed = input.deadLetters.filter((d) => d.key !== '');
  const keys =
    'all' in sel
      ? [...new Set(keyed.map((d) => d.key))]
      : 'key' in sel
        ? keyed.some((d) => d.key === sel.key)
          ? [sel.key]
          : []
        : keyed.filter((d) => d.id === sel.eventId).map((d) => d.key);
  const records: OutgoingRecord[] = [];
  const redriven: DeadLetter[] = [];
  const purged: DeadLetter[] = [];
  for (const key of keys) {
    const partition = partitionForKey(key, input.partitionCount);
    const { topic, groupId, redriveId, snapshot } = input;
    const marker = releaseMarker({ topic, partition, key, groupId, redriveId, snapshot });
    if (!input.markerLast) records.push(marker);
    for (const d of keyed.filter((x) => x.key === key)) {
      const drop = input.action === 'purge' && ('eventId' in sel ? d.id === sel.eventId : true);
      if (drop) {
        purged.push(d);
        continue;
      }
      redriven.push(d);
      records.push(copyOf(d, partition, input));
    }
    if (input.markerLast) records.push(marker);
  }
  const keyless = input.deadLetters.filter(
    (d) => d.key === '' && ('all' in sel || ('eventId' in sel && d.id === sel.eventId)),
  );
  for (const d of keyless) {
    records.push(...planKeyless(d, input));
    (input.action === 'redrive' ? redriven : purged).push(d);
  }
  return { keys, records, redriven, purged };
}

/**
 * A keyless dead letter's records: a `released` control record in its DLQ partition naming it (so `list` no
 * longer shows it), and for a redrive its copy on its original partition. Nothing waits behind it, so no owner
 * needs to agree first: the run's one transaction makes both visible together.
 */
function planKeyless(d: DeadLetter, input: ReleasePlanInput): OutgoingRecord[] {
  const settle = dlqControlRecord({
    dlqTopic: input.dlqTopic,
    dlqPartition: d.dlq.partition,
    key: '',
    groupId: input.groupId,
    control: 'released',
    redriveId: input.redriveId,
    letter: d.id,
  });
  if (input.action === 'purge') return [settle];
  const p = d.original.partition;
  return [settle, copyOf(d, p >= 0 && p < input.partitionCount ? p : 0, input)];
}

/** A dead letter produced again: original bytes and headers, addressed to the run's group. */
function copyOf(d: DeadLetter, partition: number, input: ReleasePlanInput): OutgoingRecord {
  return {
    topic: input.topic,
    partition,
    key: d.key,
    value: d.value,
    headers: {
      ...d.headers,
      [REDRIVE_HEADERS.group]: input.groupId,
      [REDRIVE_HEADERS.id]: input.redriveId,
      ...(input.markerLast
        ? { [REDRIVE_HEADERS.snapshot]: JSON.stringify(Object.fromEntries(input.snapshot)) }
        : {}),
    },
  };
}
