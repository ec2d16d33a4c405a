import { randomUUID } from 'node:crypto';
import RequestQueue from 'kafkajs/src/network/requestQueue/index.js';
import { afterAll, expect, it } from 'vitest';
import { serviceConfig } from '../../../../scripts/services/service-config.mjs';
import { kafkaTransport } from './kafka-transport';
import type { Consumption, Transport } from './transport';

const proto = (RequestQueue as { prototype: { checkPendingRequests: (this: unknown) => void } }).prototype;
const check = proto.checkPendingRequests;
let checks = 0;
proto.checkPendingRequests = function (this: unknown) {
  checks++;
  check.call(this);
};
let transport: Transport | undefined;
let consumption: Consumption | undefined;
afterAll(async () => {
  proto.checkPendingRequests = check;
  await consumption?.stop();
  await transport?.disconnect();
});

it("kafkajs' connections do not poll their request queues every millisecond while nothing waits", async () => {
  const topic = `queue-${randomUUID().slice(0, 8)}`;
  transport = kafkaTransport({ brokers: serviceConfig().kafkaBrokers, clientId: 'lty-request-queue' });
  await transport.connect();
  await transport.ensureTopics([{ topic, partitions: 2, replicationFactor: 1 }]);
  const seen: string[] = [];
  consumption = await transport.consume({
    groupId: `queue-${randomUUID().slice(0, 8)}`,
    topics: [topic],
    fromBeginning: true,
    eachBatch: async (batch, control) => {
      for (const r of batch.records) seen.push(r.value!.toString());
      const last = batch.records.at(-1);
      if (last) await control.commit((BigInt(last.offset) + 1n).toString());
    },
  });
  const sendAll = (from: number) =>
    Promise.all(
      [0, 1, 2, 3].map((i) =>
        transport!.produce([
          { topic, partition: i % 2, key: `k${i}`, value: Buffer.from(`v${from + i}`), headers: {} },
        ]),
      ),
    );
  await sendAll(0);
  // Idle: every connection (admin, producer, consumer's broker and coordinator) answered requests by now.
  checks = 0;
  await new Promise((r) => setTimeout(r, 2000));
  const idleChecks = checks;
  // Still sends and consumes as before.
  await sendAll(4);
  const deadline = Date.now() + 30_000;
  while (seen.length < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(seen.sort()).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7']);
  // Unfixed, each connection checks about every millisecond: thousands in 2 s. Fixed, a check follows a response
  // (the consumer's fetches answer every maxWaitTimeMs), never a timer of its own.
  expect(idleChecks).toBeLessThan(200);
});
