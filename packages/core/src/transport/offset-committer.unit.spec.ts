import { describe, expect, it } from 'vitest';
import { createOffsetCommitter, groupCommitters, type PartitionOffset } from './offset-committer';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recording(intervalMs: number, slowMs = 0) {
  const requests: PartitionOffset[][] = [];
  const errors: unknown[] = [];
  let fail: Error | undefined;
  const committer = createOffsetCommitter({
    intervalMs,
    commit: async (offsets) => {
      await sleep(slowMs);
      if (fail) throw fail;
      requests.push([...offsets]);
    },
    onError: (err) => errors.push(err),
  });
  return { committer, requests, errors, failWith: (err?: Error) => (fail = err) };
}

describe('createOffsetCommitter', () => {
  it('sends the latest mark of every partition in one request after the interval, not before', async () => {
    const { committer, requests } = recording(50);
    await committer.mark('t', 0, '5');
    await committer.mark('t', 1, '3');
    await committer.mark('t', 0, '9');
    expect(requests).toEqual([]);
    await sleep(120);
    expect(requests).toEqual([
      [
        { topic: 't', partition: 0, offset: '9' },
        { topic: 't', partition: 1, offset: '3' },
      ],
    ]);
  });

  it('with interval 0 commits before mark() resolves, and a failed commit rejects it', async () => {
    const { committer, requests, failWith } = recording(0);
    await committer.mark('t', 0, '2');
    expect(requests).toEqual([[{ topic: 't', partition: 0, offset: '2' }]]);
    failWith(new Error('revoked'));
    await expect(committer.mark('t', 0, '3')).rejects.toThrow('revoked');
  });

  it('keeps commits in order: a flush waits for the one in flight, so an older offset never lands last', async () => {
    const { committer, requests } = recording(1000, 30);
    await committer.mark('t', 0, '1');
    const first = committer.flush();
    await committer.mark('t', 0, '2');
    await committer.flush();
    await first;
    expect(requests.map((r) => r[0]!.offset)).toEqual(['1', '2']);
  });

  it('stop() sends what is pending at once; a failure goes to onError and later commits still go out', async () => {
    const { committer, requests, errors, failWith } = recording(60_000);
    failWith(new Error('rebalancing'));
    await committer.mark('t', 0, '4');
    await expect(committer.flush()).rejects.toThrow('rebalancing');
    expect(errors).toHaveLength(1);
    failWith(undefined);
    await committer.mark('t', 0, '7');
    await committer.stop();
    expect(requests).toEqual([[{ topic: 't', partition: 0, offset: '7' }]]);
  });
});

describe('groupCommitters', () => {
  it('flushes the committers of the groups named, and only those', async () => {
    const a = recording(60_000);
    const b = recording(60_000);
    const registry = groupCommitters();
    registry.add('ga', a.committer);
    const removeB = registry.add('gb', b.committer);
    await a.committer.mark('t', 0, '1');
    await b.committer.mark('t', 0, '1');
    await registry.flush(['ga']);
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(0);
    removeB();
    await registry.flush(['gb']);
    expect(b.requests).toHaveLength(0);
    await b.committer.stop();
  });
});
