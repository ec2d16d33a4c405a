import type { RecordPosition } from '@listen-to-yourself/core/transport-kit';
import type { KcatRecord } from './kcat-read';

/** A record as sent, with the position `produce()` returned for it. */
export interface SentRecord {
  readonly partition: number;
  readonly value: string;
  readonly position: RecordPosition | undefined;
}

/**
 * For this package's tests: what is wrong with the positions of `sent` (listed in the order the records were
 * handed to `produce()`) against the log as read back: each position must be on the record's partition and hold
 * exactly that record, and the records of one partition must sit in the order they were handed over.
 */
export function positionProblems(sent: readonly SentRecord[], log: readonly KcatRecord[]): string[] {
  const at = new Map(log.map((r) => [`${r.partition}/${r.offset}`, r.value]));
  const problems: string[] = [];
  const lastOffset = new Map<number, bigint>();
  for (const s of sent) {
    const p = s.position;
    if (!p) {
      problems.push(`${s.value}: no position`);
      continue;
    }
    if (p.partition !== s.partition)
      problems.push(`${s.value}: on partition ${p.partition}, sent to ${s.partition}`);
    const found = at.get(`${p.partition}/${p.offset}`);
    if (found !== s.value)
      problems.push(`${s.value}: ${p.partition}/${p.offset} holds ${found ?? 'nothing'}`);
    const before = lastOffset.get(s.partition);
    if (before !== undefined && BigInt(p.offset) <= before) {
      problems.push(`${s.value}: offset ${p.offset} not after ${before} on partition ${s.partition}`);
    }
    lastOffset.set(s.partition, BigInt(p.offset));
  }
  return problems;
}
