import { TransportError } from '@listen-to-yourself/core';
import type { OutgoingRecord, RecordPosition } from '@listen-to-yourself/core/transport-kit';
import type { ConfluentDeliveryReport } from './confluent-client';

/**
 * One `produce()` call waiting for the delivery reports of its records. A class, not closures: the send path
 * makes one per record sent, and its methods are shared.
 */
export class ProduceCall {
  /** Filled by index as the reports come, in whatever order the partitions answer. */
  readonly positions: RecordPosition[];
  readonly promise: Promise<RecordPosition[]>;
  /** Resolved or rejected: later reports of its records change nothing. */
  settled = false;
  private remaining: number;
  private timer: NodeJS.Timeout | undefined;
  private resolvePromise!: (positions: RecordPosition[]) => void;
  private rejectPromise!: (err: TransportError) => void;

  /** Waits at most `timeoutMs`, then fails with `timeoutError()`; is in `waiting` until it settles. */
  constructor(
    readonly records: readonly OutgoingRecord[],
    private readonly waiting: Set<ProduceCall>,
    timeoutMs: number,
    timeoutError: () => TransportError,
  ) {
    this.positions = new Array<RecordPosition>(records.length);
    this.remaining = records.length;
    this.promise = new Promise((resolve, reject) => {
      this.resolvePromise = resolve;
      this.rejectPromise = reject;
    });
    this.timer = setTimeout(timeOut, timeoutMs, this, timeoutError);
    waiting.add(this);
  }

  /** Records the position of the record at `index`; the last one resolves the call. */
  delivered(index: number, position: RecordPosition): void {
    this.positions[index] = position;
    if (--this.remaining === 0) {
      this.finish();
      this.resolvePromise(this.positions);
    }
  }

  fail(err: TransportError): void {
    if (this.settled) return;
    this.finish();
    this.rejectPromise(err);
  }

  private finish(): void {
    this.settled = true;
    clearTimeout(this.timer);
    this.waiting.delete(this);
  }
}

function timeOut(call: ProduceCall, timeoutError: () => TransportError): void {
  call.fail(timeoutError());
}

/** A record's opaque: its call, and its index there when the call has more than one record. */
export type ProduceOpaque = ProduceCall | { readonly call: ProduceCall; readonly index: number };

/**
 * Applies one delivery report to its call: the record's position, or the call's failure (`fail` maps the client
 * error). A report on another partition than the record's, or without an offset, fails the call: a position the
 * record is not at would be worse than none.
 */
export function settleReport(
  err: Error | null,
  report: ConfluentDeliveryReport,
  fail: (err: unknown) => TransportError,
): void {
  const opaque = report.opaque as ProduceOpaque | undefined;
  // Every record this producer queues carries one; a report without it is none of ours to settle.
  if (!opaque) return;
  const call = opaque instanceof ProduceCall ? opaque : opaque.call;
  if (call.settled) return;
  if (err) return call.fail(fail(err));
  const index = opaque instanceof ProduceCall ? 0 : opaque.index;
  const record = call.records[index]!;
  const { offset } = report;
  if (report.partition !== record.partition || !Number.isSafeInteger(offset) || offset < 0) {
    return call.fail(
      new TransportError(`produce: no offset reported for a record to ${record.topic}/${record.partition}`, {
        retriable: true,
      }),
    );
  }
  call.delivered(index, { topic: record.topic, partition: record.partition, offset: String(offset) });
}
