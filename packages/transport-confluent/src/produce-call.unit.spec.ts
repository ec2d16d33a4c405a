import { TransportError } from '@listen-to-yourself/core';
import type { OutgoingRecord } from '@listen-to-yourself/core/transport-kit';
import { describe, expect, it } from 'vitest';
import { ProduceCall, settleReport } from './produce-call';

const record = (partition: number): OutgoingRecord => ({
  topic: 't',
  partition,
  key: 'k',
  value: Buffer.from('v'),
  headers: {},
});
const timeoutError = () => new TransportError('timed out', { retriable: true });
const fail = (err: unknown) => new TransportError(`failed: ${(err as Error).message}`, { retriable: true });
const report = (opaque: unknown, partition: number, offset: number) => ({
  topic: 't',
  partition,
  offset,
  opaque,
});

describe('settleReport', () => {
  it('puts each report at its record’s index, whatever order they come in, and resolves with the last', async () => {
    const waiting = new Set<ProduceCall>();
    const call = new ProduceCall([record(0), record(1), record(0)], waiting, 10_000, timeoutError);
    settleReport(null, report({ call, index: 2 }, 0, 8), fail);
    settleReport(null, report({ call, index: 1 }, 1, 3), fail);
    expect(waiting.size).toBe(1);
    settleReport(null, report({ call, index: 0 }, 0, 7), fail);
    await expect(call.promise).resolves.toEqual([
      { topic: 't', partition: 0, offset: '7' },
      { topic: 't', partition: 1, offset: '3' },
      { topic: 't', partition: 0, offset: '8' },
    ]);
    expect(waiting.size).toBe(0);
  });

  it('fails the call on a report of another partition or without an offset, rather than give a wrong position', async () => {
    const elsewhere = new ProduceCall([record(0)], new Set(), 10_000, timeoutError);
    settleReport(null, report(elsewhere, 2, 5), fail);
    await expect(elsewhere.promise).rejects.toThrow(/no offset reported for a record to t\/0/);
    const noOffset = new ProduceCall([record(0)], new Set(), 10_000, timeoutError);
    settleReport(null, report(noOffset, 0, -1), fail);
    await expect(noOffset.promise).rejects.toThrow(/no offset reported/);
  });

  it('fails the call with the first delivery error; later reports change nothing', async () => {
    const call = new ProduceCall([record(0), record(0)], new Set(), 10_000, timeoutError);
    settleReport(new Error('broker said no'), report({ call, index: 0 }, 0, -1), fail);
    settleReport(null, report({ call, index: 1 }, 0, 4), fail);
    await expect(call.promise).rejects.toThrow('failed: broker said no');
    expect(call.settled).toBe(true);
  });

  it('ignores a report without an opaque', () => {
    expect(() => settleReport(null, report(undefined, 0, 1), fail)).not.toThrow();
  });

  it('fails a call that waits longer than its timeout', async () => {
    const waiting = new Set<ProduceCall>();
    const call = new ProduceCall([record(0)], waiting, 20, timeoutError);
    await expect(call.promise).rejects.toThrow('timed out');
    expect(waiting.size).toBe(0);
  });
});
