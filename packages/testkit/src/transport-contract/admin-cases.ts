import { isLtyError } from '@listen-to-yourself/core';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PARTITIONS, record, type TransportHarness } from './fixtures';

/** ensureTopics(), partitionCount() and endOffsets(), and calls on a client that is not connected. */
export function adminCases(h: TransportHarness): void {
  const timeout = h.features.timeoutMs;
  const spec = (topic: string, partitions = PARTITIONS) => ({
    topic,
    partitions,
    replicationFactor: h.features.replicationFactor,
  });

  describe('admin', () => {
    it(
      'ensureTopics is idempotent, also from two clients at once, and keeps an existing topic as it is',
      { timeout },
      async () => {
        const [a, b] = await Promise.all([h.open(), h.open()]);
        const topic = `transport-contract-${randomUUID()}`;
        await Promise.all([a.ensureTopics([spec(topic)]), b.ensureTopics([spec(topic)])]);
        await a.ensureTopics([spec(topic)]);
        const other = `transport-contract-${randomUUID()}`;
        // An existing topic with another partition count is left alone; a missing one beside it is created.
        await b.ensureTopics([spec(topic, PARTITIONS + 2), spec(other, 1)]);
        expect(await a.partitionCount(topic)).toBe(PARTITIONS);
        expect(await b.partitionCount(other)).toBe(1);
      },
    );

    it(
      'partitionCount of a topic that does not exist is 0, and does not create it',
      { timeout },
      async () => {
        const t = await h.open();
        const missing = `transport-contract-missing-${randomUUID()}`;
        expect(await t.partitionCount(missing)).toBe(0);
        expect(await t.partitionCount(missing)).toBe(0);
        expect(await (await h.open()).partitionCount(missing)).toBe(0);
      },
    );

    it(
      'produce and admin calls before connect() and after disconnect() reject with a non-retriable TransportError',
      { timeout },
      async () => {
        const topic = await h.topic(await h.open());
        const closed = await h.open();
        await closed.disconnect();
        for (const t of [await h.unconnected(), closed]) {
          for (const call of [
            () => t.produce([record(topic, 0)]),
            () => t.partitionCount(topic),
            () => t.endOffsets(topic),
            () => t.committedOffsets('transport-contract-group', topic),
          ]) {
            const error = await call().then(
              () => undefined,
              (err: unknown) => err,
            );
            expect(isLtyError(error, 'LTY_TRANSPORT'), String(error)).toBe(true);
            expect((error as { retriable?: boolean }).retriable).toBe(false);
          }
        }
      },
    );

    it('endOffsets: zero on a new topic, the next offset to write after a produce', { timeout }, async () => {
      const t = await h.open();
      const topic = await h.topic(t);
      expect(await t.endOffsets(topic)).toEqual(new Map([...Array(PARTITIONS).keys()].map((p) => [p, '0'])));
      const positions = await t.produce([record(topic, 1), record(topic, 1), record(topic, 2)]);
      const ends = await t.endOffsets(topic);
      expect(ends.get(0)).toBe('0');
      expect(ends.get(1)).toBe((BigInt(positions[1]!.offset) + 1n).toString());
      expect(ends.get(2)).toBe((BigInt(positions[2]!.offset) + 1n).toString());
    });
  });
}
