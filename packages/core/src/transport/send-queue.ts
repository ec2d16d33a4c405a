import type { RecordPosition } from '../store/position';
import type { OffsetCommit, OutgoingRecord } from './transport';

interface Pending {
  records: readonly OutgoingRecord[];
  offsets: readonly OffsetCommit[];
  resolve: (positions: RecordPosition[]) => void;
  reject: (err: unknown) => void;
}

/** What one coalesced call sends: the records of every caller that joined it, and their offsets to commit. */
export interface CoalescedSend {
  records: OutgoingRecord[];
  offsets: OffsetCommit[];
}

/**
 * Coalesces concurrent sends into one produce call at a time. When idle a send goes out at once; while a call is
 * in flight, later sends wait and then leave together (up to `maxRecords`), so throughput grows with concurrency
 * and one producer never has two requests racing for the same partition's sequence numbers. Each caller gets its
 * own positions, or the shared call's error.
 */
export function createSendQueue(options: {
  maxRecords: number;
  lingerMs: number;
  send: (batch: CoalescedSend) => Promise<RecordPosition[]>;
}): (records: readonly OutgoingRecord[], offsets?: readonly OffsetCommit[]) => Promise<RecordPosition[]> {
  const waiting: Pending[] = [];
  let busy = false;

  async function drain(): Promise<void> {
    if (busy) return;
    busy = true;
    try {
      if (options.lingerMs > 0) await new Promise((r) => setTimeout(r, options.lingerMs));
      while (waiting.length > 0) {
        const group: Pending[] = [];
        let count = 0;
        while (
          waiting.length > 0 &&
          (group.length === 0 || count + waiting[0]!.records.length <= options.maxRecords)
        ) {
          const next = waiting.shift()!;
          group.push(next);
          count += next.records.length;
        }
        try {
          const positions = await options.send({
            records: group.flatMap((p) => p.records),
            offsets: group.flatMap((p) => p.offsets),
          });
          let at = 0;
          for (const p of group) {
            p.resolve(positions.slice(at, at + p.records.length));
            at += p.records.length;
          }
        } catch (err) {
          for (const p of group) p.reject(err);
        }
      }
    } finally {
      busy = false;
    }
  }

  return (records, offsets = []) =>
    new Promise<RecordPosition[]>((resolve, reject) => {
      waiting.push({ records, offsets, resolve, reject });
      void drain();
    });
}
