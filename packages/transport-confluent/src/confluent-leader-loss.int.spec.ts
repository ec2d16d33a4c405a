import { randomUUID } from 'node:crypto';
import { isLtyError } from '@listen-to-yourself/core';
import { type Transport } from '@listen-to-yourself/core/transport-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kafka3 } from '../../../test/helpers/kafka3';
import { loadConfluentLibrary } from './confluent-client';
import { confluentTransport } from './confluent-transport';
import { kcatValues } from './kcat-read';

// Under a steady send load on the 3-node cluster (replication 3, min.insync.replicas 2), SIGKILL the leader of a
// busy partition and restart it: kcat, an independent reader, must find every record the transport acked.
// Loaded first: without scripts/build-confluent.sh's build the file fails here, before the cluster starts.
const library = loadConfluentLibrary();
const cluster = kafka3();
const topic = `leader-loss-${randomUUID().slice(0, 8)}`;
let transport: Transport | undefined;

beforeAll(() => cluster.up(), 240_000);
afterAll(async () => {
  await transport?.disconnect();
  cluster.release();
}, 120_000);

/** The node leading `partition` of `topic`, asked through the client's own admin. */
async function leaderOf(partition: number): Promise<number> {
  const admin = new library.KafkaJS.Kafka({
    kafkaJS: { brokers: cluster.brokers, logLevel: 0 },
  }).admin();
  await admin.connect();
  try {
    const [meta] = await admin.fetchTopicMetadata({ topics: [topic] });
    return meta!.partitions.find((p) => p.partitionId === partition)!.leader;
  } finally {
    await admin.disconnect();
  }
}

it('loses no acknowledged record when the leader of a busy partition is killed', async () => {
  const t = confluentTransport({ brokers: cluster.brokers, library, sendTimeoutMs: 30_000 });
  transport = t;
  await t.connect();
  await t.ensureTopics([
    { topic, partitions: 6, replicationFactor: 3, config: { 'min.insync.replicas': '2' } },
  ]);

  const acked = new Set<string>();
  const outcome = { failed: 0, notRetriable: 0 };
  let sending = true;
  const sender = async (w: number) => {
    for (let n = 0; sending; n++) {
      const ids = Array.from({ length: 10 }, (_, j) => `${w}.${n}.${j}`);
      try {
        const positions = await t.produce(
          ids.map((id, j) => ({ topic, partition: j % 6, key: id, value: Buffer.from(id), headers: {} })),
        );
        if (positions.length === ids.length) for (const id of ids) acked.add(id);
      } catch (err) {
        outcome.failed++;
        if (!(isLtyError(err) && err.retriable)) outcome.notRetriable++;
      }
    }
  };
  const senders = [0, 1, 2, 3].map(sender);
  await new Promise((r) => setTimeout(r, 3000));

  const leader = await leaderOf(0);
  cluster.killNode(leader);
  await new Promise((r) => setTimeout(r, 20_000));
  cluster.startNode(leader);
  await new Promise((r) => setTimeout(r, 3000));
  sending = false;
  await Promise.all(senders);

  const values = kcatValues(cluster.brokers, topic);
  const found = new Set(values);
  const lost = [...acked].filter((id) => !found.has(id)).length;
  console.log(
    `confluent leader loss (node ${leader} killed): acked ${acked.size}, found ${found.size}, lost ${lost}, ` +
      `duplicates ${values.length - found.size}, failed sends ${outcome.failed} (${outcome.notRetriable} not retriable)`,
  );
  expect(acked.size).toBeGreaterThan(100);
  expect(outcome.notRetriable).toBe(0);
  expect(lost).toBe(0);
}, 300_000);
