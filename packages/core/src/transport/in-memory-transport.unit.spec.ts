import { afterEach, describe, expect, it } from 'vitest';
import { isLtyError } from '../errors/lty-error';
import { assignPartitions } from './in-memory-assign';
import { inMemoryTransport, type InMemoryTransport } from './in-memory-transport';
import type { Batch, BatchControl, OutgoingRecord } from './transport';

const TOPIC = 't';
const open: InMemoryTransport[] = [];

async function cluster(partitions = 4, options = {}): Promise<InMemoryTransport> {
  const t = inMemoryTransport(options);
  open.push(t);
  await t.connect();
  await t.ensureTopics([{ topic: TOPIC, partitions, replicationFactor: 1 }]);
  return t;
}

function rec(partition: number, key = `k${partition}`, topic = TOPIC): OutgoingRecord {
  return { topic, partition, key, value: Buffer.from(key), headers: { h: 'v' } };
}

/** A consumer that commits each record and remembers what it saw, as `p:offset`. */
function collector(t: InMemoryTransport, groupId: string, extra: Partial<{ fromBeginning: boolean }> = {}) {
  const seen: string[] = [];
  const consumption = t.consume({
    groupId,
    topics: [TOPIC],
    fromBeginning: extra.fromBeginning ?? true,
    eachBatch: async (batch, control) => {
      for (const r of batch.records) {
        seen.push(`${r.partition}:${r.offset}`);
        await control.commit(String(BigInt(r.offset) + 1n));
      }
    },
  });
  return { seen, consumption };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.disconnect()));
});

describe('inMemoryTransport produce', () => {
  it('returns one position per record, honouring record.partition, and moves the end offsets', async () => {
    const t = await cluster(3);
    const positions = await t.produce([rec(2), rec(0), rec(2)]);
    expect(positions).toEqual([
      { topic: TOPIC, partition: 2, offset: '0' },
      { topic: TOPIC, partition: 0, offset: '0' },
      { topic: TOPIC, partition: 2, offset: '1' },
    ]);
    expect(await t.endOffsets(TOPIC)).toEqual(
      new Map([
        [0, '1'],
        [1, '0'],
        [2, '2'],
      ]),
    );
    const stored = t.records(TOPIC, 2);
    expect(stored.map((r) => [r.key?.toString(), r.value?.toString(), r.headers.h])).toEqual([
      ['k2', 'k2', 'v'],
      ['k2', 'k2', 'v'],
    ]);
  });

  it('writes nothing when one record names an unknown partition or topic', async () => {
    const t = await cluster(2);
    for (const bad of [rec(5), rec(0, 'x', 'nope')]) {
      const err = await t.produce([rec(0), bad]).catch((e: unknown) => e);
      expect(isLtyError(err, 'LTY_TRANSPORT') && err.retriable).toBe(false);
    }
    expect(await t.endOffsets(TOPIC)).toEqual(
      new Map([
        [0, '0'],
        [1, '0'],
      ]),
    );
  });

  it('commits produce offsets together with the records', async () => {
    const t = await cluster(2);
    await t.produce([rec(1)], {
      atomic: true,
      offsets: [{ groupId: 'g', topic: TOPIC, partition: 0, offset: '7' }],
    });
    expect(await t.committedOffsets('g', TOPIC)).toEqual(new Map([[0, '7']]));
    expect(t.records(TOPIC)).toHaveLength(1);
  });

  it('refuses calls before connect and after disconnect', async () => {
    const t = inMemoryTransport();
    await expect(t.produce([])).rejects.toMatchObject({ code: 'LTY_TRANSPORT' });
    await t.connect();
    await t.ensureTopics([{ topic: TOPIC, partitions: 1, replicationFactor: 1 }]);
    await t.disconnect();
    await expect(t.produce([rec(0)])).rejects.toThrow(/not connected/);
  });

  it('rejects invalid options with one ConfigError listing every problem', () => {
    const err = (() => {
      try {
        inMemoryTransport({ maxBatchRecords: 0, assigner: 'sticky' as 'range' });
      } catch (e) {
        return e;
      }
    })();
    expect(isLtyError(err, 'LTY_CONFIG') && (err as unknown as { issues: string[] }).issues).toHaveLength(2);
  });
});

describe('inMemoryTransport consumer groups', () => {
  it('delivers every record once and commits up to the end offsets', async () => {
    const t = await cluster(3);
    await t.produce([rec(0), rec(1), rec(2), rec(0)]);
    const { seen } = collector(t, 'g');
    await t.idle('g');
    expect(seen.sort()).toEqual(['0:0', '0:1', '1:0', '2:0']);
    expect(await t.committedOffsets('g', TOPIC)).toEqual(await t.endOffsets(TOPIC));
  });

  it('starts at the end without a committed offset when fromBeginning is false', async () => {
    const t = await cluster(1);
    await t.produce([rec(0), rec(0)]);
    const { seen } = collector(t, 'g', { fromBeginning: false });
    await t.idle('g');
    await t.produce([rec(0)]);
    await t.idle('g');
    expect(seen).toEqual(['0:2']);
  });

  it('splits partitions among members and gives them all to the one left', async () => {
    const t = await cluster(4);
    const owners = new Map<number, Set<string>>();
    const member = (name: string) =>
      t.consume({
        groupId: 'g',
        topics: [TOPIC],
        fromBeginning: true,
        eachBatch: async (batch, control) => {
          owners.set(batch.partition, (owners.get(batch.partition) ?? new Set()).add(name));
          await control.commit(String(Number(batch.records.at(-1)!.offset) + 1));
        },
      });
    const a = await member('a');
    await member('b');
    await t.produce([0, 1, 2, 3].map((p) => rec(p)));
    await t.idle('g');
    expect([...owners.values()].map((s) => [...s])).toHaveLength(4);
    expect(new Set([...owners.values()].flatMap((s) => [...s]))).toEqual(new Set(['a', 'b']));
    await a.stop();
    owners.clear();
    await t.produce([0, 1, 2, 3].map((p) => rec(p)));
    await t.idle('g');
    expect([...owners.values()].flatMap((s) => [...s])).toEqual(['b', 'b', 'b', 'b']);
  });

  it('assigns round robin (kafkajs) or by ranges (Java client)', () => {
    const members = [{ topics: ['a', 'b'] }, { topics: ['a', 'b'] }];
    const count = (t: string) => (t === 'a' ? 3 : 2);
    expect(assignPartitions('round-robin', members, count)).toEqual(
      new Map([
        [
          0,
          [
            ['a', 0],
            ['a', 2],
            ['b', 1],
          ],
        ],
        [
          1,
          [
            ['a', 1],
            ['b', 0],
          ],
        ],
      ]),
    );
    expect(assignPartitions('range', members, count)).toEqual(
      new Map([
        [
          0,
          [
            ['a', 0],
            ['a', 1],
            ['b', 0],
          ],
        ],
        [
          1,
          [
            ['a', 2],
            ['b', 1],
          ],
        ],
      ]),
    );
  });

  it('revokes an in-flight batch on rebalance; the new owner redelivers what was not committed', async () => {
    const t = await cluster(2);
    await t.produce([rec(1), rec(1), rec(1)]);
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inBatch = new Promise<void>((r) => (entered = r));
    let runningAfterRevoke: boolean | undefined;
    await t.consume({
      groupId: 'g',
      topics: [TOPIC],
      fromBeginning: true,
      eachBatch: async (batch, control) => {
        await control.commit(String(Number(batch.records[0]!.offset) + 1)); // only the first record
        entered();
        await blocked;
        runningAfterRevoke = control.isRunning();
      },
    });
    await inBatch;
    const second: string[] = [];
    await t.consume({
      groupId: 'g',
      topics: [TOPIC],
      fromBeginning: true,
      eachBatch: async (batch, control) => {
        second.push(...batch.records.map((r) => `${r.partition}:${r.offset}`));
        await control.commit(String(Number(batch.records.at(-1)!.offset) + 1));
      },
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(second).toEqual([]); // partition 1 moved, but not while its old batch still runs
    release();
    await t.idle('g');
    expect(runningAfterRevoke).toBe(false);
    expect(second).toEqual(['1:1', '1:2']);
  });

  it('never runs two batches of one partition at once, across members and rebalances', async () => {
    const t = await cluster(2, { maxBatchRecords: 1 });
    const running = new Set<number>();
    let overlap = false;
    const eachBatch = async (batch: Batch, control: BatchControl) => {
      if (running.has(batch.partition)) overlap = true;
      running.add(batch.partition);
      await new Promise((r) => setTimeout(r, 2));
      running.delete(batch.partition);
      await control.commit(String(Number(batch.records[0]!.offset) + 1));
    };
    const members = [];
    for (let i = 0; i < 4; i++) {
      members.push(await t.consume({ groupId: 'g', topics: [TOPIC], fromBeginning: true, eachBatch }));
      await t.produce([rec(0), rec(1), rec(0), rec(1)]);
    }
    await members[0]!.stop();
    await members[2]!.stop();
    await t.idle('g');
    expect(overlap).toBe(false);
    expect(await t.committedOffsets('g', TOPIC)).toEqual(
      new Map([
        [0, '8'],
        [1, '8'],
      ]),
    );
  });
});

describe('inMemoryTransport faults', () => {
  it('failNextProduce and failProduces reject retriably and write nothing', async () => {
    const t = await cluster(1);
    t.faults.failProduces(2);
    for (let i = 0; i < 2; i++) {
      await expect(t.produce([rec(0)])).rejects.toMatchObject({ code: 'LTY_TRANSPORT', retriable: true });
    }
    const mine = new Error('mine');
    t.faults.failNextProduce(mine);
    await expect(t.produce([rec(0)])).rejects.toBe(mine);
    expect(await t.produce([rec(0)])).toEqual([{ topic: TOPIC, partition: 0, offset: '0' }]);
  });

  it('loseNextAck writes the records but rejects, so a retry writes them twice', async () => {
    const t = await cluster(1);
    t.faults.loseNextAck();
    await expect(t.produce([rec(0)])).rejects.toMatchObject({ retriable: true });
    await t.produce([rec(0)]);
    expect(await t.endOffsets(TOPIC)).toEqual(new Map([[0, '2']]));
  });

  it('crashConsumerAfterBatch drops the batch commits and the records come again', async () => {
    const t = await cluster(1);
    const { seen } = collector(t, 'g');
    const crashed = t.faults.crashConsumerAfterBatch('g');
    await t.produce([rec(0), rec(0)]);
    await crashed;
    await t.idle('g');
    expect(seen).toEqual(['0:0', '0:1', '0:0', '0:1']);
    expect(await t.committedOffsets('g', TOPIC)).toEqual(new Map([[0, '2']]));
  });

  it('redeliver moves the committed offset back and the records come again', async () => {
    const t = await cluster(2);
    await t.produce([rec(1), rec(1), rec(1)]);
    const { seen } = collector(t, 'g');
    await t.idle('g');
    await t.faults.redeliver('g', TOPIC, 1, 1);
    await t.idle('g');
    expect(seen).toEqual(['1:0', '1:1', '1:2', '1:1', '1:2']);
  });

  it('dropConnection stops produce, commit and fetch until restoreConnection', async () => {
    const t = await cluster(1);
    const { seen } = collector(t, 'g');
    await t.idle('g');
    t.faults.dropConnection();
    await expect(t.produce([rec(0)])).rejects.toMatchObject({ retriable: true });
    await expect(t.committedOffsets('g', TOPIC)).rejects.toMatchObject({ retriable: true });
    t.faults.restoreConnection();
    await t.produce([rec(0)]);
    t.faults.dropConnection();
    await expect(t.idle('g', { timeoutMs: 30 })).rejects.toMatchObject({ code: 'LTY_TIMEOUT' });
    expect(seen).toEqual([]);
    t.faults.restoreConnection();
    await t.idle('g');
    expect(seen).toEqual(['0:0']);
  });

  it('idle names what lags when it times out, and rejects for an unknown group', async () => {
    const t = await cluster(1);
    await t.produce([rec(0)]);
    await t.consume({ groupId: 'g', topics: [TOPIC], fromBeginning: true, eachBatch: async () => undefined });
    await expect(t.idle('g', { timeoutMs: 20 })).rejects.toThrow(/t\[0\] at 0 of 1/);
    await expect(t.idle('nobody')).rejects.toThrow(/no consumer group nobody/);
  });
});

describe('inMemoryTransport clients', () => {
  it('share one cluster; disconnecting one stops only its own consumers', async () => {
    const a = await cluster(2);
    const b = a.client();
    await b.connect();
    collector(a, 'g');
    const fromB = collector(b, 'g');
    await a.disconnect();
    await b.produce([rec(0), rec(1)]);
    await b.idle('g');
    expect(fromB.seen.sort()).toEqual(['0:0', '1:0']);
    await b.disconnect();
  });
});
