import { describe, expect, it } from 'vitest';
import { at, expectedCounter, increment, type ContractHarness, type Counter } from './fixtures';

/**
 * A crash between apply and offset commit: the consumer restarts (a new store instance on the same data) and
 * gets the record again. Needs the `persistent` feature.
 */
export function restartCases(h: ContractHarness): void {
  const timeout = h.features.timeoutMs;

  if (!h.features.persistent) return;
  describe('restart', () => {
    it('a change applied again after a restart is a duplicate', { timeout }, async () => {
      const { store: before, entity, topic } = await h.scene();
      await before.apply(increment(entity, 'e1', at(topic, 4)));
      // No close(): the process died. The new instance sees the redelivered record, then the command's retry.
      const after = await h.open();
      expect(await after.apply(increment(entity, 'e1', at(topic, 4)))).toMatchObject({
        status: 'duplicate',
        version: 1,
        reason: 'position',
      });
      expect(await after.apply(increment(entity, 'e1', at(topic, 6)))).toMatchObject({ reason: 'event-id' });
      expect(await after.get<Counter>(entity)).toEqual({
        state: expectedCounter(['e1']),
        version: 1,
        position: at(topic, 6),
      });
    });

    it('a restarted store continues the version sequence', { timeout }, async () => {
      const { store: before, entity, topic } = await h.scene();
      await before.applyBatch([increment(entity, 'e1', at(topic, 1)), increment(entity, 'e2', at(topic, 2))]);
      await before.close();
      const after = await h.open();
      expect(await after.apply(increment(entity, 'e3', at(topic, 3)))).toEqual({
        status: 'applied',
        version: 3,
        state: expectedCounter(['e1', 'e2', 'e3']),
      });
    });
  });
}
