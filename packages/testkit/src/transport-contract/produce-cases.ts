import type { OutgoingRecord } from '@listen-to-yourself/core/transport-kit';
import { describe, expect, it } from 'vitest';
import { expectSame, PARTITIONS, readAt, record, records, where, type TransportHarness } from './fixtures';

/** produce(): positions, and what a consumer reads there. */
export function produceCases(h: TransportHarness): void {
  const timeout = h.features.timeoutMs;

  describe('produce', () => {
    it('returns one position per record, in order, each on the record partition', { timeout }, async () => {
      const t = await h.open();
      const topic = await h.topic(t);
      const sent = records(topic, 7);
      const positions = await t.produce(sent);
      expect(positions).toHaveLength(sent.length);
      positions.forEach((p, i) => {
        expect(p).toMatchObject({ topic, partition: sent[i]!.partition });
        expect(p.offset).toMatch(/^\d+$/);
      });
      // Within a partition, later records get later offsets.
      for (let partition = 0; partition < PARTITIONS; partition++) {
        const offsets = positions.filter((p) => p.partition === partition).map((p) => BigInt(p.offset));
        expect(offsets).toEqual([...offsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        expect(new Set(offsets).size).toBe(offsets.length);
      }
    });

    it(
      'a consumer reads exactly those records at those positions, keys, values and headers intact',
      { timeout },
      async () => {
        const t = await h.open();
        const topic = await h.topic(t);
        const sent: OutgoingRecord[] = [
          ...records(topic, 5),
          { ...record(topic, 1, 'empty-value'), value: Buffer.alloc(0) },
          { ...record(topic, 2, 'binary'), value: Buffer.from([0, 255, 1, 254, 0]) },
          {
            ...record(topic, 0, 'many-headers'),
            headers: {
              id: 'many-headers',
              'x-unicode': 'grüße ✓ 日本',
              'x-empty': '',
              traceparent: '00-ab-cd-01',
            },
          },
        ];
        const positions = await t.produce(sent);
        const read = await readAt(h, topic, positions);
        positions.forEach((p, i) => expectSame(read.get(where(p)), sent[i]!));
        // Nothing else is in the topic.
        expect([...read.keys()].sort()).toEqual(positions.map(where).sort());
      },
    );

    it('concurrent produces each get their own positions', { timeout }, async () => {
      const t = await h.open();
      const topic = await h.topic(t);
      const calls = Array.from({ length: 40 }, (_, c) => records(topic, 1 + (c % 3), `call${c}`));
      const answers = await Promise.all(calls.map((rs) => t.produce(rs)));
      answers.forEach((positions, c) => expect(positions).toHaveLength(calls[c]!.length));
      const all = answers.flat();
      expect(new Set(all.map(where)).size).toBe(all.length);
      const read = await readAt(h, topic, all);
      answers.forEach((positions, c) =>
        positions.forEach((p, i) => expectSame(read.get(where(p)), calls[c]![i]!)),
      );
    });

    it('produce([]) resolves with no positions', { timeout }, async () => {
      const t = await h.open();
      expect(await t.produce([])).toEqual([]);
    });
  });
}
