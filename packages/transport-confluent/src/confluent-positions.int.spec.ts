import { randomUUID } from 'node:crypto';
import type { OutgoingRecord, Transport } from '@listen-to-yourself/core/transport-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfluentLibrary } from './confluent-client';
import { confluentTransport } from './confluent-transport';
import { kcatRecords, type KcatRecord } from './kcat-read';
import { positionProblems, type SentRecord } from './position-check';

// One position per record, from each record's own delivery report: sends of one and of several records, many at
// once, while another producer writes to the same partitions; an independent reader (kcat) then finds each
// record at exactly the position returned for it, and a partition's records in the order they were handed over.
const library = loadConfluentLibrary();
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const RECORDS = Number(process.env.LTY_POSITIONS_RECORDS ?? 500);
const WAVES = 10;
const PARTITIONS = 3;
const transports: Transport[] = [];

afterAll(() => Promise.allSettled(transports.map((t) => t.disconnect())));

const transport = (name: string) => {
  const t = confluentTransport({
    brokers,
    library,
    clientId: name,
    transactionalId: `${name}-${randomUUID()}`,
  });
  transports.push(t);
  return t;
};

describe('positionProblems', () => {
  const log: KcatRecord[] = [
    { partition: 0, offset: '0', value: 'a' },
    { partition: 0, offset: '1', value: 'b' },
    { partition: 1, offset: '0', value: 'c' },
  ];
  const sent = (offsets: [number, string][]): SentRecord[] =>
    ['a', 'b', 'c'].map((value, i) => ({
      value,
      partition: value === 'c' ? 1 : 0,
      position: { topic: 't', partition: offsets[i]![0], offset: offsets[i]![1] },
    }));

  it('finds nothing wrong with the right positions', () => {
    expect(
      positionProblems(
        sent([
          [0, '0'],
          [0, '1'],
          [1, '0'],
        ]),
        log,
      ),
    ).toEqual([]);
  });

  it('finds swapped offsets, a wrong partition and a missing position', () => {
    expect(
      positionProblems(
        sent([
          [0, '1'],
          [0, '0'],
          [1, '0'],
        ]),
        log,
      ),
    ).toEqual(['a: 0/1 holds b', 'b: 0/0 holds a', 'b: offset 0 not after 1 on partition 0']);
    expect(
      positionProblems(
        sent([
          [0, '0'],
          [0, '1'],
          [0, '0'],
        ]),
        log,
      ),
    ).toEqual(['c: on partition 0, sent to 1', 'c: 0/0 holds a']);
    expect(positionProblems([{ value: 'a', partition: 0, position: undefined }], log)).toEqual([
      'a: no position',
    ]);
  });
});

it(`${RECORDS} records to ${PARTITIONS} partitions beside another producer: each position holds its record`, async () => {
  const topic = `positions-${randomUUID().slice(0, 8)}`;
  const ours = transport('positions-test');
  const other = transport('positions-other');
  await Promise.all([ours.connect(), other.connect()]);
  await ours.ensureTopics([{ topic, partitions: PARTITIONS, replicationFactor: 1 }]);

  const record = (value: string, partition: number): OutgoingRecord => ({
    topic,
    partition,
    key: value,
    value: Buffer.from(value),
    headers: { 'x-value': value },
  });
  const sent: SentRecord[] = [];
  // Waves of sends issued at once: within a wave every call is in flight together; between waves the other
  // producer's records land between ours on every partition.
  const perWave = RECORDS / WAVES;
  let n = 0;
  for (let wave = 0; wave < WAVES; wave++) {
    const calls: Promise<void>[] = [];
    for (let i = 0; i < perWave;) {
      // Every fourth call carries four records to one partition (a plain, non-atomic send of several).
      const size = i % 16 === 12 ? Math.min(4, perWave - i) : 1;
      const partition = n % PARTITIONS;
      const batch = Array.from({ length: size }, () => record(`ours-${n++}`, partition));
      const entries = batch.map((r) => ({ partition, value: r.value.toString(), position: undefined }));
      sent.push(...entries);
      calls.push(
        ours.produce(batch).then((positions) => {
          expect(positions).toHaveLength(size);
          positions.forEach((position, j) => Object.assign(entries[j]!, { position }));
        }),
      );
      i += size;
    }
    for (let j = 0; j < 30; j++)
      calls.push(other.produce([record(`other-${wave}-${j}`, j % PARTITIONS)]).then());
    await Promise.all(calls);
  }

  const log = kcatRecords(brokers, topic);
  expect(log.filter((r) => r.value.startsWith('other-'))).toHaveLength(WAVES * 30);
  expect(sent).toHaveLength(RECORDS);
  expect(positionProblems(sent, log)).toEqual([]);
}, 120_000);
