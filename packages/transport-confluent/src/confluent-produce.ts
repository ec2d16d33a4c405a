import { TransportError } from '@listen-to-yourself/core';
import {
  type OffsetCommit,
  type OutgoingRecord,
  type RecordPosition,
} from '@listen-to-yourself/core/transport-kit';
import type { ConfluentConsumer, ConfluentProducer } from './confluent-client';

/**
 * Produces records and returns one position per record, in order. Each record is its own `send()`, so each gets
 * its own delivery report with its own offset (a `send()` of many reports only the lowest offset per partition,
 * and librdkafka may split them over requests between which other producers write). The calls are made in
 * order without awaiting, so librdkafka keeps the order per partition and batches them (`linger.ms`). A
 * delivery report comes only after the broker acknowledged the record with acks=all.
 */
export function produceEach(
  producer: ConfluentProducer,
  records: readonly OutgoingRecord[],
): Promise<RecordPosition[]> {
  return Promise.all(
    records.map(async (r) => {
      const [report] = await producer.send({
        topic: r.topic,
        messages: [
          { key: r.key, value: nonNull(r.value), partition: r.partition, headers: { ...r.headers } },
        ],
      });
      if (
        report?.baseOffset === undefined ||
        report.baseOffset === null ||
        report.partition !== r.partition
      ) {
        throw new TransportError(`produce: no offset reported for a record to ${r.topic}/${r.partition}`, {
          retriable: true,
        });
      }
      return { topic: r.topic, partition: r.partition, offset: String(report.baseOffset) };
    }),
  );
}

// The native binding sends a zero-length Buffer as a null value (a tombstone), since such a Buffer has no data
// pointer. An empty view into a one-byte buffer has one, so the record keeps its empty, non-null value.
const EMPTY_VALUE = Buffer.alloc(1).subarray(0, 0);
export function nonNull(value: Buffer): Buffer {
  return value.length === 0 ? EMPTY_VALUE : value;
}

/**
 * Runs one transaction on a transactional producer: the records, then the consumer offsets (each group's
 * through `consumerOf(groupId)`, since this client's `sendOffsets` takes a consumer), then the commit. On any
 * failure it aborts and rethrows; if even the abort fails, `onBroken` is told so the producer is replaced
 * (a new one with the same transactional id fences this one and aborts what it left open).
 */
export async function produceInTransaction(
  producer: ConfluentProducer,
  records: readonly OutgoingRecord[],
  offsets: readonly OffsetCommit[],
  consumerOf: (groupId: string) => Promise<ConfluentConsumer>,
  onBroken: () => void,
): Promise<RecordPosition[]> {
  const tx = await producer.transaction();
  try {
    const positions = await produceEach(tx, records);
    for (const [groupId, commits] of groupBy(offsets, (o) => o.groupId)) {
      await tx.sendOffsets({
        consumer: await consumerOf(groupId),
        topics: [...groupBy(commits, (o) => o.topic)].map(([topic, cs]) => ({
          topic,
          partitions: cs.map((c) => ({ partition: c.partition, offset: c.offset })),
        })),
      });
    }
    await tx.commit();
    return positions;
  } catch (err) {
    await tx.abort().catch(onBroken);
    throw err;
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}
