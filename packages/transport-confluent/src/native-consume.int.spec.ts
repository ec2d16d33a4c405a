import { randomUUID } from 'node:crypto';
import { TransportError } from '@listen-to-yourself/core';
import type { OutgoingRecord, Transport } from '@listen-to-yourself/core/transport-kit';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loadConfluentLibrary,
  type ConfluentLibrary,
  type ConfluentNativePartition,
} from './confluent-client';
import { confluentTransport } from './confluent-transport';

// The native consumer's own paths, beyond the transport contract: a partition whose queue fills while its batch
// runs is paused and resumed, and a batch that throws is read again from its first record not committed. Each
// partition's records must arrive complete, once, and in order.
const real = loadConfluentLibrary();
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const SLOW = 1500;
const FAST = 300;
const transports: Transport[] = [];

afterAll(() => Promise.allSettled(transports.map((t) => t.disconnect())));

/** The client module with a consumer that counts its pause() calls. */
function countingPauses(): { library: ConfluentLibrary; pauses: () => number } {
  let pauses = 0;
  const Base = real.KafkaConsumer as unknown as new (...args: unknown[]) => {
    pause(tps: ConfluentNativePartition[]): void;
  };
  class Counting extends Base {
    override pause(tps: ConfluentNativePartition[]): void {
      pauses++;
      super.pause(tps);
    }
  }
  const library = { ...real, KafkaConsumer: Counting } as unknown as ConfluentLibrary;
  return { library, pauses: () => pauses };
}

describe('the native consumer', () => {
  it(
    'pauses a full partition and reads a thrown batch again, losing, doubling and reordering nothing',
    {
      timeout: 120_000,
    },
    async () => {
      const { library, pauses } = countingPauses();
      const transport = confluentTransport({
        brokers,
        library,
        clientId: 'native-consume',
        transactionalId: `native-consume-${randomUUID()}`,
        maxConsumeBatchRecords: 10,
        maxWaitTimeMs: 100,
      });
      transports.push(transport);
      await transport.connect();
      const topic = `native-consume-${randomUUID()}`;
      await transport.ensureTopics([{ topic, partitions: 2, replicationFactor: 1 }]);
      const record = (partition: number, i: number): OutgoingRecord => ({
        topic,
        partition,
        key: `k${partition}`,
        value: Buffer.from(String(i)),
        headers: {},
      });
      for (let i = 0; i < SLOW; i += 100) {
        const chunk = Array.from({ length: 100 }, (_, j) => record(0, i + j));
        if (i < FAST) chunk.push(...Array.from({ length: 100 }, (_, j) => record(1, i + j)));
        await transport.produce(chunk);
      }

      const seen: string[][] = [[], []];
      let thrown = false;
      const consumption = await transport.consume({
        groupId: `native-consume-${randomUUID()}`,
        topics: [topic],
        fromBeginning: true,
        eachBatch: async (batch, control) => {
          const values = batch.records.map((r) => r.value!.toString());
          if (batch.partition === 0 && !thrown && values.includes('700')) {
            thrown = true;
            throw new TransportError('a fault the next attempt gets past', { retriable: true });
          }
          seen[batch.partition]!.push(...values);
          // The slow partition's batches take long enough for its queue to fill behind them.
          if (batch.partition === 0) await new Promise((r) => setTimeout(r, 3));
          await control.commit((BigInt(batch.records.at(-1)!.offset) + 1n).toString());
        },
      });
      const deadline = Date.now() + 90_000;
      while (seen[0]!.length < SLOW && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await consumption.stop();

      const expected = (n: number) => Array.from({ length: n }, (_, i) => String(i));
      expect(thrown).toBe(true);
      expect(seen[0]).toEqual(expected(SLOW));
      expect(seen[1]).toEqual(expected(FAST));
      expect(pauses()).toBeGreaterThan(0);
    },
  );
});
