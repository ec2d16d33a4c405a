import type { Producer, RecordMetadata, Transaction } from 'kafkajs';
import { TransportError } from '../errors/errors';
import type { RecordPosition } from '../store/position';
import type { OutgoingRecord } from './transport';

/** How many times records missing from a broker's answer are sent again before the send fails. */
const MISSING_RESEND_LIMIT = 5;

/**
 * Produces records and returns one position per record, in order. kafkajs 2.2.4 can resolve a send whose answer
 * lacks partitions that moved during a leader failover (tulios/kafkajs#1303): such records were never written.
 * We check that every partition we sent to is answered and send the unanswered records again; a record may then
 * be written twice, which the event id makes harmless, but it is never reported as sent when it was not.
 */
export async function produceAll(
  sender: Producer | Transaction,
  records: readonly OutgoingRecord[],
): Promise<RecordPosition[]> {
  const positions: (RecordPosition | undefined)[] = records.map(() => undefined);
  let pending = records.map((_, i) => i);
  for (let round = 0; pending.length > 0; round++) {
    if (round > MISSING_RESEND_LIMIT) {
      throw new TransportError(
        `${pending.length} record(s) stayed unacknowledged after ${MISSING_RESEND_LIMIT} re-sends`,
        { retriable: true },
      );
    }
    const byTopic = new Map<string, number[]>();
    for (const i of pending) {
      const t = records[i]!.topic;
      const of = byTopic.get(t);
      // Pushed, not copied: a coalesced send carries up to thousands of records.
      if (of) of.push(i);
      else byTopic.set(t, [i]);
    }
    const answer: RecordMetadata[] = await sender.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, idx]) => ({
        topic,
        messages: idx.map((i) => {
          const r = records[i]!;
          return { key: r.key, value: r.value, partition: r.partition, headers: { ...r.headers } };
        }),
      })),
    });
    const base = new Map<string, bigint>();
    for (const m of answer) {
      if (m.errorCode === 0 && m.baseOffset !== undefined && m.baseOffset !== '-1') {
        base.set(`${m.topicName}\u0000${m.partition}`, BigInt(m.baseOffset));
      }
    }
    // Within one request the records of a partition form one batch, in the order given.
    const seen = new Map<string, bigint>();
    const missing: number[] = [];
    for (const i of pending) {
      const r = records[i]!;
      const tp = `${r.topic}\u0000${r.partition}`;
      const b = base.get(tp);
      if (b === undefined) {
        missing.push(i);
        continue;
      }
      const n = seen.get(tp) ?? 0n;
      seen.set(tp, n + 1n);
      positions[i] = { topic: r.topic, partition: r.partition, offset: (b + n).toString() };
    }
    pending = missing;
  }
  return positions as RecordPosition[];
}
