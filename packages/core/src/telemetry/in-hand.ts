/**
 * The record each partition's worker has in hand (being processed, or waiting for its next attempt): the oldest
 * record of the partition not yet done, since a partition is processed in order. Its age is the consumer's lag
 * in time.
 */
export interface InHand {
  /** The worker took up a record produced (or appended) at `timestampMs`. */
  take(groupId: string, topic: string, partition: number, timestampMs: number): void;
  /** The worker is done with the partition's record in hand (or gave it up). */
  release(groupId: string, topic: string, partition: number): void;
  /** Seconds since the record in hand was produced; 0 with none in hand. */
  ageSeconds(groupId: string, topic: string, partition: number, nowMs: number): number;
}

export function inHandRecords(): InHand {
  const since = new Map<string, number>();
  const at = (g: string, t: string, p: number) => `${g}\u0000${t}\u0000${p}`;
  return {
    take(g, t, p, timestampMs) {
      const k = at(g, t, p);
      // A record back for another attempt keeps the time of its first delivery's record, the oldest.
      if (!since.has(k) && Number.isFinite(timestampMs)) since.set(k, timestampMs);
    },
    release: (g, t, p) => void since.delete(at(g, t, p)),
    ageSeconds(g, t, p, nowMs) {
      const ts = since.get(at(g, t, p));
      return ts === undefined ? 0 : Math.max(0, nowMs - ts) / 1000;
    },
  };
}
