import { asIncoming, pastSnapshot, type DlqSnapshot } from '../dlq/control-records';
import type { DlqTail } from '../dlq/dlq-tail';
import { nextOffset, type RecordPosition } from '../store/position';
import type { Batch, BatchControl, OutgoingRecord } from '../transport/transport';

/**
 * Key parking for one consumer group: once an event of key K is dead-lettered, K's later events go to the DLQ
 * (reason `parked`) instead of being applied, until a redrive or purge releases K. The DLQ is the only record of
 * which keys are parked, so every instance tails it (see {@link DlqTail}) and knows them after a restart too.
 */
export interface Parking {
  /**
   * Call before a batch. When the batch does not continue what this instance last handled on its partition (the
   * first batch after start or after an assignment, or another member handled records in between), waits until
   * the DLQ tail has read every dead letter written before now. Resolves false if the consumer stopped first.
   *
   * Why: the previous owner of the partition may have dead-lettered K@n and committed n+1 just before the
   * rebalance. Its DLQ produce was acknowledged before that commit, so the DLQ end offsets measured after our
   * batch arrived include it; once the tail reached them, K is known to be parked and K@n+1 is parked too.
   */
  beforeBatch(batch: Batch, control: BatchControl): Promise<boolean>;
  /** Notes that the record at `offset` was handled (applied, ignored, dead-lettered or parked). */
  handled(topic: string, partition: number, offset: string): void;
  isParked(key: string): boolean;
  /** Folds in a DLQ record this instance produced, so the next record sees it before the tail reads it back. */
  note(record: OutgoingRecord, position: RecordPosition): void;
  /** False when the key has a dead letter past the release marker's snapshot (parked after the run read). */
  mayRelease(key: string, snapshot: DlqSnapshot): boolean;
}

export function createParking(tail: DlqTail): Parking {
  const lastHandled = new Map<string, string>();
  const tp = (topic: string, partition: number) => `${topic}\u0000${partition}`;
  return {
    async beforeBatch(batch, control) {
      const first = batch.records[0];
      if (!first) return true;
      const last = lastHandled.get(tp(batch.topic, batch.partition));
      if (last !== undefined && nextOffset(last) === first.offset) return true;
      return tail.catchUp(control);
    },
    handled: (topic, partition, offset) => void lastHandled.set(tp(topic, partition), offset),
    isParked: (key) => tail.index.isParked(key),
    note: (record, position) => tail.note(asIncoming(record, position)),
    mayRelease(key, snapshot) {
      const last = tail.index.state(key)?.lastDeadLetter;
      return last === undefined || !pastSnapshot(last, snapshot);
    },
  };
}
