import type { IncomingRecord } from '@listen-to-yourself/core/transport-kit';
import { describe, expect, it } from 'vitest';
import { idOf, join, newGroup, record, type TransportHarness } from './fixtures';

/** BatchControl.deferPartition(delayMs), for transports that offer it (`features.canDefer`). */
export function deferCases(h: TransportHarness): void {
  const timeout = h.features.timeoutMs;
  if (!h.features.canDefer) return;
  const DEFER_MS = h.features.deferMs;

  describe('deferPartition', () => {
    it(
      'rests its partition only, then delivers again what was not committed, and nothing committed',
      { timeout },
      async () => {
        const t = await h.open();
        const topic = await h.topic(t);
        const [r0, r1] = [record(topic, 0, 'r0'), record(topic, 0, 'r1')];
        await t.produce([r0, r1]);

        const arrivals: { record: IncomingRecord; at: number }[] = [];
        let deferredAt: number | undefined;
        let cannotDefer = false;
        await join(await h.open(), newGroup(), topic, async (batch, control) => {
          const now = Date.now();
          arrivals.push(...batch.records.map((r) => ({ record: r, at: now })));
          const first = batch.records[0]!;
          if (deferredAt === undefined && batch.partition === 0 && idOf(first) === 'r0') {
            // r0 is done; r1 must wait: as a record failing its first attempt would.
            await control.commit((BigInt(first.offset) + 1n).toString());
            if (!control.deferPartition) {
              cannotDefer = true;
              return;
            }
            control.deferPartition(DEFER_MS);
            deferredAt = Date.now();
            return;
          }
          await control.commit((BigInt(batch.records.at(-1)!.offset) + 1n).toString());
        });
        await h.until(() => deferredAt !== undefined || cannotDefer, 'the deferral');
        expect(cannotDefer, 'canDefer is on, but BatchControl.deferPartition is missing').toBe(false);

        await t.produce([record(topic, 1, 'x1'), record(topic, 2, 'x2')]);
        const seen = (id: string) => arrivals.filter((a) => idOf(a.record) === id);
        await h.until(() => seen('x1').length > 0 && seen('x2').length > 0, 'the other partitions');
        const othersAfterMs = Math.max(seen('x1')[0]!.at, seen('x2')[0]!.at) - deferredAt!;
        expect(othersAfterMs).toBeLessThan(DEFER_MS / 2);

        await h.until(() => seen('r1').some((a) => a.at > deferredAt!), 'r1 again');
        const again = arrivals.filter((a) => a.record.partition === 0 && a.at > deferredAt!);
        expect(idOf(again[0]!.record)).toBe('r1');
        expect(again[0]!.at - deferredAt!).toBeGreaterThanOrEqual(DEFER_MS - Math.min(250, DEFER_MS / 4));
        expect(again.some((a) => idOf(a.record) === 'r0')).toBe(false);
      },
    );
  });
}
