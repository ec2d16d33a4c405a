import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kafka3 } from '../../../../test/helpers/kafka3';
import { isLtyError } from '../errors/lty-error';
import { kafkaTransport } from './kafka-transport';
import type { Transport } from './transport';

// kafkajs 2.2.4 can resolve a send whose records were dropped when a partition leader died (tulios/kafkajs#1303).
// This kills the leader of a busy partition under load and checks, with kcat as an independent reader, that
// every record our transport acknowledged is in the topic.
const cluster = kafka3();
const topic = `leader-loss-${randomUUID().slice(0, 8)}`;
let transport: Transport | undefined;

beforeAll(() => cluster.up(), 240_000);
afterAll(async () => {
  await transport?.disconnect();
  cluster.release();
}, 120_000);

it('loses no acknowledged record when the leader of a busy partition is killed', async () => {
  const t = kafkaTransport({ brokers: cluster.brokers, sendTimeoutMs: 30_000 });
  transport = t;
  await t.connect();
  await t.ensureTopics([
    { topic, partitions: 6, replicationFactor: 3, config: { 'min.insync.replicas': '2' } },
  ]);

  const acked = new Set<string>();
  let failed = 0;
  let nonRetriable = 0;
  let running = true;
  const worker = async (w: number) => {
    for (let i = 0; running; i++) {
      const batch = Array.from({ length: 10 }, (_, j) => `${w}-${i}-${j}`);
      try {
        const positions = await t.produce(
          batch.map((id, j) => ({ topic, partition: j % 6, key: id, value: Buffer.from(id), headers: {} })),
        );
        if (positions.length === batch.length) batch.forEach((id) => acked.add(id));
      } catch (err) {
        failed++;
        if (!(isLtyError(err) && err.retriable)) nonRetriable++;
      }
    }
  };
  const workers = [0, 1, 2, 3].map(worker);
  await new Promise((r) => setTimeout(r, 3000));

  const admin = new Kafka({ brokers: cluster.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const meta = await admin.fetchTopicMetadata({ topics: [topic] });
  await admin.disconnect();
  const leader = meta.topics[0]!.partitions.find((p) => p.partitionId === 0)!.leader;
  cluster.killNode(leader);
  await new Promise((r) => setTimeout(r, 20_000));
  cluster.startNode(leader);
  await new Promise((r) => setTimeout(r, 3000));
  running = false;
  await Promise.all(workers);

  // kcat reads the topic to its end, read_committed, and prints each value on a line.
  const read = spawnSync(
    'kcat',
    [
      '-C',
      '-b',
      cluster.brokers.join(','),
      '-t',
      topic,
      '-o',
      'beginning',
      '-e',
      '-q',
      '-X',
      'isolation.level=read_committed',
      '-f',
      '%s\n',
    ],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 },
  );
  expect(read.status).toBe(0);
  const lines = read.stdout.split('\n').filter(Boolean);
  const found = new Set(lines);
  const lost = [...acked].filter((id) => !found.has(id)).length;
  const duplicates = lines.length - found.size;
  console.log(
    `leader loss (node ${leader} killed): acked ${acked.size}, found ${found.size}, lost ${lost}, ` +
      `duplicates ${duplicates}, failed sends ${failed} (${nonRetriable} not retriable)`,
  );
  expect(acked.size).toBeGreaterThan(100);
  expect(nonRetriable).toBe(0);
  expect(lost).toBe(0);
}, 300_000);
