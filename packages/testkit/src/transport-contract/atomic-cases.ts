import { isLtyError } from '@listen-to-yourself/core';
import { type OffsetCommit } from '@listen-to-yourself/core/transport-kit';
import { describe, expect, it } from 'vitest';
import {
  expectSame,
  idOf,
  join,
  MAX_MESSAGE_BYTES,
  newGroup,
  PARTITIONS,
  readAt,
  record,
  records,
  where,
  type TransportHarness,
} from './fixtures';

/** Atomic produce (one Kafka transaction), with and without consumer offsets. */
export function atomicCases(h: TransportHarness): void {
  const timeout = h.features.timeoutMs;

  describe('atomic produce', () => {
    it(
      'across partitions: one position per record, all read by read_committed consumers',
      { timeout },
      async () => {
        const t = await h.open();
        const topic = await h.topic(t);
        const sent = records(topic, 2 * PARTITIONS);
        const positions = await t.produce(sent, { atomic: true });
        expect(positions.map((p) => p.partition)).toEqual(sent.map((r) => r.partition));
        const read = await readAt(h, topic, positions);
        positions.forEach((p, i) => expectSame(read.get(where(p)), sent[i]!));
      },
    );

    // A feature the transport does not claim registers no case at all (as in the StateStore suite).
    if (h.features.canAbort) {
      it(
        'an aborted one is invisible to read_committed consumers, and so are its offsets',
        { timeout },
        async () => {
          const t = await h.open();
          const topic = await h.topic(t);
          const group = newGroup();
          const doomed = [
            record(topic, 0, 'aborted-0'),
            record(topic, 2, 'aborted-2'),
            { ...record(topic, 1, 'aborted-oversized'), value: Buffer.alloc(MAX_MESSAGE_BYTES * 2, 1) },
          ];
          const offsets: OffsetCommit[] = [{ groupId: group, topic, partition: 0, offset: '1' }];
          const failure = await t.produce(doomed, { atomic: true, offsets }).then(
            () => undefined,
            (err: unknown) => err,
          );
          expect(
            isLtyError(failure, 'LTY_TRANSPORT'),
            `expected a TransportError, got ${String(failure)}`,
          ).toBe(true);

          // Records after the aborted ones, on the same partitions, are read; the aborted ones never are.
          const after = records(topic, PARTITIONS, 'after');
          const positions = await t.produce(after);
          const reader = await join(await h.open(), newGroup(), topic);
          await h.until(() => after.every((r) => reader.ids().includes(r.headers.id!)), 'the later records');
          expect(reader.received.map(idOf).filter((id) => id.startsWith('aborted'))).toEqual([]);
          expect(reader.received.map(where).sort()).toEqual(positions.map(where).sort());
          expect(await t.committedOffsets(group, topic)).toEqual(new Map());
        },
      );
    }

    it('with offsets: commits them in the same transaction as the records', { timeout }, async () => {
      const t = await h.open();
      const topic = await h.topic(t);
      const group = newGroup();
      const before = [record(topic, 0, 'p0-a'), record(topic, 0, 'p0-b'), record(topic, 1, 'p1-a')];
      const beforePositions = await t.produce(before);
      const next = (i: number) => (BigInt(beforePositions[i]!.offset) + 1n).toString();
      const offsets: OffsetCommit[] = [
        { groupId: group, topic, partition: 0, offset: next(0) },
        { groupId: group, topic, partition: 1, offset: next(2) },
      ];
      const out = [record(topic, 2, 'out-2'), record(topic, 0, 'out-0')];
      const positions = await t.produce(out, { offsets });
      expect(positions).toHaveLength(out.length);

      // Offsets a transaction committed can take a moment to become readable (they are stable once it ends).
      const expected = new Map([
        [0, next(0)],
        [1, next(2)],
      ]);
      let committed = new Map<number, string>();
      await h.until(async () => {
        committed = await t.committedOffsets(group, topic);
        return committed.size === 2;
      }, 'the committed offsets');
      expect(committed).toEqual(expected);

      // The group resumes there: p0-a and p1-a are behind it, p0-b and the produced records are ahead.
      const member = await join(await h.open(), group, topic);
      await h.until(() => member.received.length >= 3, 'the records after the committed offsets');
      expect(member.ids().sort()).toEqual(['out-0', 'out-2', 'p0-b']);
    });

    it('with offsets and no records: commits the offsets', { timeout }, async () => {
      const t = await h.open();
      const topic = await h.topic(t);
      const group = newGroup();
      const [p] = await t.produce([record(topic, 1)]);
      const offset = (BigInt(p!.offset) + 1n).toString();
      expect(await t.produce([], { offsets: [{ groupId: group, topic, partition: 1, offset }] })).toEqual([]);
      let committed = new Map<number, string>();
      await h.until(async () => {
        committed = await t.committedOffsets(group, topic);
        return committed.size > 0;
      }, 'the committed offset');
      expect(committed).toEqual(new Map([[1, offset]]));
    });
  });
}
