import { messageOf } from '@listen-to-yourself/core';
import { type TopicPartition } from '@listen-to-yourself/core/transport-kit';
import { describe, expect, it } from 'vitest';
import { join, newGroup, PARTITIONS, records, sleep, type TransportHarness } from './fixtures';

/** Crash reporting and assignments: what a service's `health()` is built on. */
export function crashCases(h: TransportHarness): void {
  const timeout = h.features.timeoutMs;

  describe('crashes and assignments', () => {
    it(
      'a batch that throws a non-retriable error crashes the member: onCrash reports it once, the member has ' +
        'left, and another member gets what it did not commit',
      { timeout },
      async () => {
        const t = await h.open();
        const topic = await h.topic(t);
        const group = newGroup();
        const crashes: unknown[] = [];
        let batches = 0;
        const crashing = await (
          await h.open()
        ).consume({
          groupId: group,
          topics: [topic],
          fromBeginning: true,
          eachBatch: async () => {
            batches++;
            throw Object.assign(new Error('cannot go on (on purpose)'), { retriable: false });
          },
          onCrash: (err) => crashes.push(err),
        });
        const sent = records(topic, 2 * PARTITIONS);
        await t.produce(sent);
        await h.until(() => crashes.length > 0, 'the crash report');
        expect(messageOf(crashes[0])).toContain('cannot go on (on purpose)');

        const heir = await join(await h.open(), group, topic);
        const ids = sent.map((r) => r.headers.id!);
        await h.until(() => ids.every((id) => heir.ids().includes(id)), 'the heir to receive every record');
        const batchesAtHandover = batches;
        await t.produce(records(topic, PARTITIONS, 'later'));
        await h.until(() => heir.ids().filter((id) => id.startsWith('later')).length === PARTITIONS, 'later');
        await sleep(300);
        expect(crashes, 'one crash, reported once').toHaveLength(1);
        expect(batches, 'the crashed member took no batch after the crash').toBe(batchesAtHandover);
        await crashing.stop();
      },
    );

    it(
      'onAssignment reports the partitions a member owns, before and after a second member joins',
      { timeout },
      async () => {
        const t = await h.open();
        const topic = await h.topic(t);
        const group = newGroup();
        const owned = (list: TopicPartition[][]) => new Set((list.at(-1) ?? []).map((tp) => tp.partition));
        const seenA: TopicPartition[][] = [];
        const seenB: TopicPartition[][] = [];
        const member = (seen: TopicPartition[][]) => async () =>
          (await h.open()).consume({
            groupId: group,
            topics: [topic],
            fromBeginning: true,
            eachBatch: async () => undefined,
            onAssignment: (partitions) => seen.push([...partitions]),
          });
        const a = await member(seenA)();
        await h.until(() => owned(seenA).size === PARTITIONS, 'a to own every partition');
        expect(seenA.at(-1)!.every((tp) => tp.topic === topic)).toBe(true);
        const b = await member(seenB)();
        await h.until(
          () =>
            owned(seenA).size > 0 &&
            owned(seenB).size > 0 &&
            owned(seenA).size + owned(seenB).size === PARTITIONS &&
            [...owned(seenA)].every((p) => !owned(seenB).has(p)),
          'a and b to split the partitions',
        );
        await Promise.all([a.stop(), b.stop()]);
      },
    );
  });
}
