import type { RecordPosition } from '../store/position';
import type { OffsetCommit, OutgoingRecord } from './transport';

interface Pending {
  records: readonly OutgoingRecord[];
  offsets: readonly OffsetCommit[];
  settled: boolean;
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
 * own positions, or the shared call's error, or a timeout error after `timeoutMs` counted from its own call: a
 * caller still waiting is dropped from the queue; one already sent is told it failed, and its records may still
 * be written (harmless: event ids make a retry idempotent), but it never gets a receipt without an ack.
 */
export function createSendQueue(options: {
  maxRecords: number;
  lingerMs: number;
  /** Omit for no timeout. */
  timeoutMs?: number;
  timeoutError?: () => Error;
  send: (batch: CoalescedSend) => Promise<RecordPosition[]>;
}): (records: readonly OutgoingRecord[], offsets?: readonly OffsetCommit[]) => Promise<RecordPosition[]> {
  let waiting: Pending[] = [];
  let busy = false;

  async function drain(): Promise<void> {
    if (busy) return;
    busy = true;
    try {
      if (options.lingerMs > 0) await new Promise((r) => setTimeout(r, options.lingerMs));
      for (;;) {
        waiting = waiting.filter((p) => !p.settled);
        if (waiting.length === 0) break;
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
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(
              () => pending.reject(options.timeoutError?.() ?? new Error('send timed out')),
              options.timeoutMs,
            );
      const pending: Pending = {
        records,
        offsets,
        settled: false,
        resolve: (v) => {
          if (pending.settled) return;
          pending.settled = true;
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          if (pending.settled) return;
          pending.settled = true;
          clearTimeout(timer);
          // Forwards the producer's own error unchanged, whatever it is.
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
          reject(e);
        },
      };
      waiting.push(pending);
      void drain();
    });
}
