import { TransportError } from '@listen-to-yourself/core';
import type { Batch, BatchControl, IncomingRecord } from '@listen-to-yourself/core/transport-kit';
import { describe, expect, it } from 'vitest';
import type { ConfluentNativeConsumer } from './confluent-client';
import { createNativeBatches } from './native-batches';
import { NativePartitions, type NativePartition } from './native-partitions';

const record = (partition: number, offset: number): IncomingRecord => ({
  topic: 't',
  partition,
  offset: String(offset),
  key: null,
  value: Buffer.from(`${partition}:${offset}`),
  headers: {},
  timestamp: '0',
});

/** Partitions 0..n-1 of topic `t`, each with `records` queued, and a consumer that only records pauses. */
function setUp(n: number, records: number) {
  const paused: string[] = [];
  const consumer = {
    pause: (tps: { partition: number }[]) => paused.push(`pause ${tps[0]!.partition}`),
    resume: (tps: { partition: number }[]) => paused.push(`resume ${tps[0]!.partition}`),
  } as unknown as ConfluentNativeConsumer;
  const partitions = new NativePartitions(() => consumer);
  for (let p = 0; p < n; p++) {
    partitions.add({ topic: 't', partition: p });
    partitions.get('t', p)!.queue.push(...Array.from({ length: records }, (_, i) => record(p, i)));
  }
  return { partitions, paused };
}

function batches(
  partitions: NativePartitions,
  eachBatch: (batch: Batch, control: BatchControl) => Promise<void>,
  o: { concurrency?: number; maxBatchRecords?: number } = {},
) {
  const rewinds: string[] = [];
  const b = createNativeBatches({
    options: { groupId: 'g', topics: ['t'], fromBeginning: true, eachBatch },
    partitions,
    concurrency: o.concurrency ?? 8,
    maxBatchRecords: o.maxBatchRecords ?? 100,
    mark: async () => undefined,
    isRunning: () => true,
    crash: () => undefined,
    rewind: (part: NativePartition, offset: string, delayMs?: number) => {
      part.queue.length = 0;
      rewinds.push(`${part.partition}@${offset}${delayMs === undefined ? '' : ` after ${delayMs} ms`}`);
    },
  });
  return { b, rewinds };
}

const commitAll = (batch: Batch, control: BatchControl) =>
  control.commit((BigInt(batch.records.at(-1)!.offset) + 1n).toString());

describe('the native consumer’s batches', () => {
  it('with more partitions ready than slots, serves them in turn: none starves', async () => {
    const { partitions } = setUp(3, 3);
    const order: number[] = [];
    const { b } = batches(
      partitions,
      async (batch, control) => {
        order.push(batch.partition);
        await new Promise((r) => setTimeout(r, 1));
        await commitAll(batch, control);
      },
      { concurrency: 1, maxBatchRecords: 1 },
    );
    b.dispatch();
    while (order.length < 9) await new Promise((r) => setTimeout(r, 5));
    await b.idle();
    expect(order).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
  });

  it('reads a batch again from its first record not committed: left undone, deferred, or thrown', async () => {
    const { partitions } = setUp(3, 4);
    const { b, rewinds } = batches(partitions, async (batch, control) => {
      if (batch.partition === 0) await control.commit('2'); // two of four done, then returns
      if (batch.partition === 1) {
        await control.commit('1');
        control.deferPartition!(500);
      }
      if (batch.partition === 2) throw new TransportError('a passing fault', { retriable: true });
    });
    b.dispatch();
    await b.idle();
    expect(rewinds.sort()).toEqual(['0@2', '1@1 after 500 ms', '2@0 after 100 ms']);
  });

  it('reads nothing again once every record of the batch is committed', async () => {
    const { partitions } = setUp(2, 5);
    const { b, rewinds } = batches(partitions, commitAll);
    b.dispatch();
    await b.idle();
    expect(rewinds).toEqual([]);
  });

  it('pauses a partition whose queue holds four batches, and resumes it once batches took it below one', async () => {
    const { partitions, paused } = setUp(1, 45);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const { b } = batches(
      partitions,
      async (batch, control) => {
        await held;
        await commitAll(batch, control);
      },
      { maxBatchRecords: 10 },
    );
    b.fill();
    expect(paused).toEqual(['pause 0']);
    b.dispatch(); // takes 10: 35 left, still above one batch
    expect(paused).toEqual(['pause 0']);
    release();
    await b.idle(); // the next batches take 10 at a time: 5 left after the fourth
    expect(paused).toEqual(['pause 0', 'resume 0']);
  });
});
