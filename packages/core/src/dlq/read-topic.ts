import { randomUUID } from 'node:crypto';
import { TimeoutError } from '../errors/errors';
import type { Consumption, IncomingRecord, Transport } from '../transport/transport';

/** Every record of a topic up to the end offsets measured when the read began. */
export interface TopicSnapshot {
  /** In partition order, then offset order. */
  readonly records: readonly IncomingRecord[];
  /** The end offsets the read went up to (the next offset to be written, per partition). */
  readonly ends: ReadonlyMap<number, string>;
}

/**
 * Reads a topic from the beginning up to its end offsets at the time of the call, with a throwaway consumer
 * group (kafkajs cannot read without one), deleted again when the read ends, whether it succeeded or not.
 * Rejects with TimeoutError when the end is not reached within `timeoutMs` (an end offset can point past the
 * last readable record, after a transaction marker).
 */
export async function readTopic(
  transport: Transport,
  topic: string,
  options: { timeoutMs: number; groupPrefix: string },
): Promise<TopicSnapshot> {
  const ends = await transport.endOffsets(topic);
  const wanted = new Map([...ends].filter(([, end]) => end !== '0').map(([p, end]) => [p, BigInt(end)]));
  const byPartition = new Map<number, IncomingRecord[]>();
  const done = new Set<number>();
  if (wanted.size > 0) {
    const groupId = `${options.groupPrefix}.${randomUUID()}`;
    let started: Promise<Consumption> | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(() => {
          const lagging = [...wanted.keys()].filter((p) => !done.has(p));
          reject(
            new TimeoutError(
              `reading ${topic}: partitions ${lagging.join(', ')} not read to their end within ${options.timeoutMs} ms`,
              options.timeoutMs,
            ),
          );
        }, options.timeoutMs);
        started = transport.consume({
          groupId,
          topics: [topic],
          fromBeginning: true,
          onCrash: reject,
          eachBatch: async (batch, control) => {
            const end = wanted.get(batch.partition);
            if (end === undefined || done.has(batch.partition)) return;
            const into = byPartition.get(batch.partition) ?? [];
            byPartition.set(batch.partition, into);
            for (const r of batch.records) if (BigInt(r.offset) < end) into.push(r);
            const last = batch.records[batch.records.length - 1];
            if (last && BigInt(last.offset) + 1n >= end) done.add(batch.partition);
            if (done.size === wanted.size) resolve();
            // The group is thrown away; committing is how the client moves on to the next batch.
            if (last) await control.commit((BigInt(last.offset) + 1n).toString()).catch(() => undefined);
          },
        });
        started.catch(reject);
      });
    } finally {
      clearTimeout(timer);
      // The batch that completed the read may arrive before consume() resolved: stop it once it has.
      const consumption = await started?.catch(() => undefined);
      await consumption?.stop();
      await dropGroup(transport, groupId);
    }
  }
  const records = [...byPartition].sort(([a], [b]) => a - b).flatMap(([, rs]) => rs);
  return { records, ends };
}

/**
 * Deletes the reader's group once its member left. Best effort: the read's outcome does not depend on it, and a
 * group left behind only lingers until the broker expires it. A leave the broker has not processed yet makes the
 * group look busy, so it is asked again a few times.
 */
async function dropGroup(transport: Transport, groupId: string): Promise<void> {
  if (!transport.deleteGroups) return;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await transport.deleteGroups([groupId]);
    } catch {
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
  }
}
