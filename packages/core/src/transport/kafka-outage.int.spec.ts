import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { privateKafka } from '../../../../test/helpers/private-kafka';
import { isLtyError } from '../errors/lty-error';
import { kafkaTransport } from './kafka-transport';
import type { Transport } from './transport';

const broker = privateKafka(29192);
const topic = `outage-${randomUUID().slice(0, 8)}`;
let transport: Transport;

beforeAll(() => broker.up(), 180_000);
afterAll(async () => {
  await transport?.disconnect();
  broker.destroy();
}, 120_000);

it('fails sends fast and retriably while the broker is down, and recovers without a restart; nothing acked is lost', async () => {
  const sendTimeoutMs = 4000;
  transport = kafkaTransport({ brokers: broker.brokers, sendTimeoutMs, requestTimeoutMs: 3000 });
  await transport.connect();
  await transport.ensureTopics([{ topic, partitions: 3, replicationFactor: 1 }]);

  const acked = new Set<string>();
  const failures: { ms: number; retriable: boolean; phase: string }[] = [];
  let phase = 'before';
  let running = true;
  const sender = async (w: number) => {
    for (let i = 0; running; i++) {
      const id = `${w}-${i}`;
      const t0 = Date.now();
      try {
        const [pos] = await transport.produce([
          { topic, partition: i % 3, key: id, value: Buffer.from(id), headers: { id } },
        ]);
        if (pos?.offset !== undefined) acked.add(id);
      } catch (err) {
        failures.push({ ms: Date.now() - t0, retriable: isLtyError(err) && err.retriable, phase });
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  const senders = [0, 1, 2, 3].map(sender);

  await new Promise((r) => setTimeout(r, 2000));
  const ackedBefore = acked.size;
  phase = 'down';
  broker.down();
  await new Promise((r) => setTimeout(r, 8000));
  const ackedWhileDown = acked.size;
  phase = 'back';
  broker.up();
  const backAt = Date.now();
  await expect
    .poll(() => acked.size - ackedWhileDown, { timeout: 60_000, interval: 200 })
    .toBeGreaterThan(20);
  const recoveredAfterMs = Date.now() - backAt;
  running = false;
  await Promise.all(senders);

  const down = failures.filter((f) => f.phase === 'down');
  // While down, every send ends (no hang) with a retriable error, within the send timeout plus a margin.
  expect(down.length).toBeGreaterThan(0);
  expect(down.every((f) => f.retriable)).toBe(true);
  expect(Math.max(...down.map((f) => f.ms))).toBeLessThanOrEqual(sendTimeoutMs + 500);

  // Every acked record is in the topic, read back by an independent consumer.
  const found = new Set<string>();
  const consumer = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING }).consumer({
    groupId: `check-${randomUUID()}`,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void found.add(message.value!.toString()) });
  await expect
    .poll(() => [...acked].every((id) => found.has(id)), { timeout: 30_000, interval: 200 })
    .toBe(true);
  await consumer.disconnect();
  const lost = [...acked].filter((id) => !found.has(id)).length;
  console.log(
    `outage: acked ${acked.size} (${ackedBefore} before the stop), failed ${failures.length} ` +
      `(${down.length} while down, slowest ${Math.max(...down.map((f) => f.ms))} ms), found ${found.size}, lost ${lost}, ` +
      `sends succeeded again ${recoveredAfterMs} ms after the broker was back`,
  );
  expect(lost).toBe(0);
}, 240_000);
