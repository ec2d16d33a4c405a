import { describe, expect, it } from 'vitest';
import { join, newGroup, record, sleep, type TransportHarness } from './fixtures';

/** disconnect() and what it does to running consumptions. */
export function lifecycleCases(h: TransportHarness): void {
  const timeout = h.features.timeoutMs;

  describe('lifecycle', () => {
    it('disconnect() is idempotent and stops every consumption it started', { timeout }, async () => {
      const t = await h.open();
      const topic = await h.topic(t);
      const group = newGroup();
      const leaving = await h.open();
      const member = await join(leaving, group, topic);
      await t.produce([record(topic, 0, 'before')]);
      await h.until(() => member.ids().includes('before'), 'the first record');

      await leaving.disconnect();
      await leaving.disconnect();
      await member.consumption.stop();

      // The group hands everything to a new member; the stopped one gets nothing more.
      const heir = await join(await h.open(), group, topic);
      await t.produce([record(topic, 0, 'after'), record(topic, 1, 'after-1'), record(topic, 2, 'after-2')]);
      await h.until(() => ['after', 'after-1', 'after-2'].every((id) => heir.ids().includes(id)), 'the heir');
      await sleep(300);
      expect(member.ids()).toEqual(['before']);
    });

    it('a Consumption stop() is idempotent', { timeout }, async () => {
      const t = await h.open();
      const topic = await h.topic(t);
      const member = await join(t, newGroup(), topic);
      await Promise.all([member.consumption.stop(), member.consumption.stop()]);
      await member.consumption.stop();
    });
  });
}
