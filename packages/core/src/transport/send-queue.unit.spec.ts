import { describe, expect, it } from 'vitest';
import type { RecordPosition } from '../store/position';
import { createSendQueue, type CoalescedSend } from './send-queue';
import type { OffsetCommit, OutgoingRecord } from './transport';

const rec = (key: string): OutgoingRecord => ({
  topic: 't',
  partition: 0,
  key,
  value: Buffer.from(key),
  headers: {},
});
const commit = (offset: string): OffsetCommit => ({ groupId: 'g', topic: 't', partition: 0, offset });

/** A send function whose calls the test answers by hand: each call waits until `answer()` or `fail()`. */
function manualSend() {
  const calls: {
    batch: CoalescedSend;
    resolve: (p: RecordPosition[]) => void;
    reject: (e: unknown) => void;
  }[] = [];
  let next = 0;
  const send = (batch: CoalescedSend) =>
    new Promise<RecordPosition[]>((resolve, reject) => calls.push({ batch, resolve, reject }));
  const keysOf = (i: number) => calls[i]!.batch.records.map((r) => r.key);
  const answer = (i: number) =>
    calls[i]!.resolve(
      calls[i]!.batch.records.map(() => ({ topic: 't', partition: 0, offset: String(next++) })),
    );
  const fail = (i: number, err: unknown) => calls[i]!.reject(err);
  return { calls, send, keysOf, answer, fail };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('createSendQueue', () => {
  it('sends at once when idle, and coalesces the sends that arrive while a call is in flight', async () => {
    const m = manualSend();
    const enqueue = createSendQueue({ maxRecords: 100, lingerMs: 0, send: m.send });
    const first = enqueue([rec('a')]);
    await tick();
    expect(m.calls).toHaveLength(1);
    const second = enqueue([rec('b'), rec('c')]);
    const third = enqueue([rec('d')]);
    await tick();
    expect(m.calls).toHaveLength(1); // they wait for the call in flight
    m.answer(0);
    await tick();
    expect(m.calls).toHaveLength(2);
    expect(m.keysOf(1)).toEqual(['b', 'c', 'd']);
    m.answer(1);
    expect((await first).map((p) => p.offset)).toEqual(['0']);
    expect((await second).map((p) => p.offset)).toEqual(['1', '2']);
    expect((await third).map((p) => p.offset)).toEqual(['3']);
  });

  it('passes every joined caller’s offsets along with the records', async () => {
    const m = manualSend();
    const enqueue = createSendQueue({ maxRecords: 100, lingerMs: 0, send: m.send });
    void enqueue([rec('a')]);
    await tick();
    void enqueue([rec('b')], [commit('5')]);
    void enqueue([rec('c')], [commit('9')]);
    m.answer(0);
    await tick();
    expect(m.calls[1]!.batch.offsets.map((o) => o.offset)).toEqual(['5', '9']);
  });

  it('rejects only the callers of the failing call', async () => {
    const m = manualSend();
    const enqueue = createSendQueue({ maxRecords: 100, lingerMs: 0, send: m.send });
    const first = enqueue([rec('a')]);
    await tick();
    const second = enqueue([rec('b')]);
    const third = enqueue([rec('c')]);
    const boom = new Error('boom');
    m.fail(0, boom);
    await expect(first).rejects.toBe(boom);
    await tick();
    m.answer(1);
    expect((await second).map((p) => p.offset)).toEqual(['0']);
    expect((await third).map((p) => p.offset)).toEqual(['1']);
  });

  it('splits a backlog at maxRecords without splitting one caller', async () => {
    const m = manualSend();
    const enqueue = createSendQueue({ maxRecords: 3, lingerMs: 0, send: m.send });
    void enqueue([rec('a')]);
    await tick();
    void enqueue([rec('b'), rec('c')]);
    void enqueue([rec('d'), rec('e')]);
    void enqueue([rec('f'), rec('g'), rec('h'), rec('i')]); // larger than maxRecords: goes alone
    for (let i = 0; i < 4; i++) {
      await tick();
      m.answer(i);
    }
    expect([1, 2, 3].map((i) => m.keysOf(i))).toEqual([
      ['b', 'c'],
      ['d', 'e'],
      ['f', 'g', 'h', 'i'],
    ]);
  });

  it('lingers when idle so that concurrent sends leave together', async () => {
    const m = manualSend();
    const enqueue = createSendQueue({ maxRecords: 100, lingerMs: 20, send: m.send });
    void enqueue([rec('a')]);
    void enqueue([rec('b')]);
    await tick();
    expect(m.calls).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 40));
    expect(m.calls).toHaveLength(1);
    expect(m.keysOf(0)).toEqual(['a', 'b']);
  });
});
