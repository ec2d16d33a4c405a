import { describe, expect, it } from 'vitest';
import { join, newGroup, record, sleep, type TransportHarness } from './fixtures';

/** BatchControl.commit(nextOffset) and committedOffsets(). */
export function commitCases(h: TransportHarness): void {
  const timeout = h.features.timeoutMs;

  describe('commits', () => {
    it(
      'commit(nextOffset) is where the group resumes; committedOffsets lists committed partitions only',
      { timeout },
      async () => {
        const t = await h.open();
        const topic = await h.topic(t);
        const group = newGroup();
        const sent = [0, 1, 2, 3, 4].map((i) => record(topic, 0, `r${i}`));
        const positions = await t.produce(sent);
        const after = (i: number) => (BigInt(positions[i]!.offset) + 1n).toString();

        // The first member commits what it is handed up to and including r2, and nothing after it.
        const first = await join(await h.open(), group, topic, async (batch, control) => {
          const done = batch.records.filter((r) => BigInt(r.offset) <= BigInt(positions[2]!.offset)).at(-1);
          if (done) await control.commit((BigInt(done.offset) + 1n).toString());
        });
        await h.until(async () => (await t.committedOffsets(group, topic)).get(0) === after(2), 'the commit');
        expect(await t.committedOffsets(group, topic)).toEqual(new Map([[0, after(2)]]));
        await first.consumption.stop();

        const second = await join(await h.open(), group, topic);
        await h.until(() => second.received.length >= 2, 'the records after the commit');
        await sleep(300);
        expect(second.ids()).toEqual(['r3', 'r4']);
        await h.until(
          async () => (await t.committedOffsets(group, topic)).get(0) === after(4),
          'the last commit',
        );
        expect(await t.committedOffsets(group, topic)).toEqual(new Map([[0, after(4)]]));
      },
    );

    it('committedOffsets of a group that never committed is empty', { timeout }, async () => {
      const t = await h.open();
      const topic = await h.topic(t);
      expect(await t.committedOffsets(newGroup(), topic)).toEqual(new Map());
    });
  });
}
