import { describe, expect, it } from 'vitest';
import { join, newGroup, PARTITIONS, records, sleep, type Member, type TransportHarness } from './fixtures';

/** Consumer groups: members split partitions, hand them over when they leave, and redeliver what was not committed. */
export function groupCases(h: TransportHarness): void {
  const timeout = h.features.timeoutMs;

  describe('consumer groups', () => {
    it('two members split the partitions: each record goes to exactly one of them', { timeout }, async () => {
      const t = await h.open();
      const topic = await h.topic(t);
      const group = newGroup();
      const [a, b] = await Promise.all([
        join(await h.open(), group, topic),
        join(await h.open(), group, topic),
      ]);
      // Until both members are in, one may own every partition: send rounds until a round is split between them.
      const deadline = Date.now() + h.features.waitMs;
      for (let round = 0; ; round++) {
        expect(Date.now(), 'no round of records was split between the two members').toBeLessThan(deadline);
        const sent = records(topic, PARTITIONS, `round${round}`);
        await t.produce(sent);
        const ids = sent.map((r) => r.headers.id!);
        const got = (m: Member) => m.ids().filter((id) => ids.includes(id));
        await h.until(() => got(a).length + got(b).length >= ids.length, `round ${round}`);
        if (got(a).length > 0 && got(b).length > 0) {
          expect([...got(a), ...got(b)].sort()).toEqual([...ids].sort());
          break;
        }
        await sleep(200);
      }
    });

    it(
      'a member that stops hands its partitions over; what it did not commit is delivered again',
      { timeout },
      async () => {
        const t = await h.open();
        const topic = await h.topic(t);
        const group = newGroup();
        // `a` never commits; `b` commits everything. A transport may hand `a` the same first records again and
        // again (it must not skip them), so wait only until every partition reached someone.
        const a = await join(await h.open(), group, topic, 'ignore');
        const b = await join(await h.open(), group, topic);
        const sent = records(topic, 4 * PARTITIONS);
        await t.produce(sent);
        const ids = sent.map((r) => r.headers.id!);
        const reached = (p: number) =>
          a.partitions().has(p) || sent.every((r) => r.partition !== p || b.ids().includes(r.headers.id!));
        await h.until(
          () => [...Array(PARTITIONS).keys()].every(reached),
          'every partition to reach a member',
        );
        await a.consumption.stop();
        await h.until(() => ids.every((id) => b.ids().includes(id)), 'b to receive what a left uncommitted');
        const ends = await t.endOffsets(topic);
        await h.until(async () => {
          const committed = await t.committedOffsets(group, topic);
          return [...ends].every(([p, end]) => BigInt(committed.get(p) ?? '0') >= BigInt(end));
        }, 'b to commit every partition');
        expect(a.received.length).toBeGreaterThan(0);
      },
    );

    it('records of a batch that throws are delivered again', { timeout }, async () => {
      const t = await h.open();
      const topic = await h.topic(t);
      let failed = false;
      const member = await join(await h.open(), newGroup(), topic, async (batch, control) => {
        if (!failed) {
          failed = true;
          throw new Error('handler failed (on purpose)');
        }
        await control.commit((BigInt(batch.records.at(-1)!.offset) + 1n).toString());
      });
      const sent = records(topic, 1);
      await t.produce(sent);
      await h.until(
        () => member.ids().filter((id) => id === sent[0]!.headers.id).length >= 2,
        'a redelivery',
      );
    });
  });
}
