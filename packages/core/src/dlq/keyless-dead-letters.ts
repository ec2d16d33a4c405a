import type { IncomingRecord } from '../transport/transport';
import { controlOf, REDRIVE_HEADERS } from './control-records';
import { deadLetterId } from './dead-letter-view';

/**
 * The dead letters of records without a key, for one consumer group. Such a record has no key to park behind it
 * (Kafka orders nothing by an absent key), so each is settled on its own: a `released` control record without a
 * key naming the dead letter's id in `lty-redrive-letter` settles every earlier copy of it in its DLQ partition.
 */
export interface KeylessDeadLetters {
  /** Folds in a keyless DLQ record of the group: a dead letter, or a control record (only settlements count). */
  add(record: IncomingRecord): void;
  /** Unsettled keyless dead letters in the order they were folded in. */
  outstanding(): IncomingRecord[];
}

export function keylessDeadLetters(): KeylessDeadLetters {
  let records: IncomingRecord[] = [];
  return {
    add(record) {
      const control = controlOf(record);
      if (control === undefined) {
        records.push(record);
        return;
      }
      const letter = record.headers[REDRIVE_HEADERS.letter];
      if (control !== 'released' || letter === undefined) return;
      // A copy dead-lettered again after its redrive lies past the settlement and stays outstanding.
      records = records.filter(
        (r) =>
          deadLetterId(r) !== letter ||
          r.partition !== record.partition ||
          BigInt(r.offset) > BigInt(record.offset),
      );
    },
    outstanding: () => [...records],
  };
}
