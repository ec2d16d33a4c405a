import { describe, expect, it } from 'vitest';
import {
  applied,
  at,
  counted,
  expectedCounter,
  increment,
  newEntity,
  newTopic,
  type ContractHarness,
  type Counter,
} from './fixtures';

/** Duplicates by position (a redelivered record) and by event id (a retried command). */
export function duplicateCases(h: ContractHarness): void {
  const timeout = h.features.timeoutMs;

  describe('duplicates', () => {
    it(
      'the same position again is a duplicate by position and does not call update',
      { timeout },
      async () => {
        const { store, entity } = await h.scene();
        const position = at(newTopic(), 3);
        await store.apply(increment(entity, 'e1', position));
        const again = counted(increment(entity, 'e1', position));
        expect(await store.apply(again.change)).toEqual({
          status: 'duplicate',
          version: 1,
          reason: 'position',
        });
        expect(again.calls()).toBe(0);
        expect(await store.get<Counter>(entity)).toEqual({
          state: expectedCounter(['e1']),
          version: 1,
          position,
        });
      },
    );

    it('an older position is a duplicate by position, even with a new event id', { timeout }, async () => {
      const { store, entity, topic } = await h.scene();
      await store.apply(increment(entity, 'e5', at(topic, 5)));
      const older = counted(increment(entity, 'e4', at(topic, 4)));
      expect(await store.apply(older.change)).toEqual({
        status: 'duplicate',
        version: 1,
        reason: 'position',
      });
      expect(older.calls()).toBe(0);
      expect((await store.get(entity))?.position).toEqual(at(topic, 5));
    });

    it(
      'the same event id at a new position is a duplicate by event id and advances the position',
      { timeout },
      async () => {
        const { store, entity, topic } = await h.scene();
        await store.apply(increment(entity, 'e1', at(topic, 1)));
        const retried = counted(increment(entity, 'e1', at(topic, 9)));
        expect(await store.apply(retried.change)).toEqual({
          status: 'duplicate',
          version: 1,
          reason: 'event-id',
        });
        expect(retried.calls()).toBe(0);
        expect(await store.get<Counter>(entity)).toEqual({
          state: expectedCounter(['e1']),
          version: 1,
          position: at(topic, 9),
        });
        // The advanced position now makes the retried record's own redelivery a duplicate by position.
        expect(await store.apply(increment(entity, 'e1', at(topic, 9)))).toMatchObject({
          reason: 'position',
        });
      },
    );

    it('scopes event ids to the entity: the same id on another entity is applied', { timeout }, async () => {
      const { store, topic } = await h.scene();
      await store.apply(increment(newEntity(), 'shared-id', at(topic, 1)));
      const other = await store.apply(increment(newEntity(), 'shared-id', at(topic, 2)));
      expect(other).toMatchObject(applied(1));
    });

    it('a duplicate leaves later changes unaffected', { timeout }, async () => {
      const { store, entity, topic } = await h.scene();
      await store.apply(increment(entity, 'e1', at(topic, 1)));
      await store.apply(increment(entity, 'e1', at(topic, 1)));
      await store.apply(increment(entity, 'e1', at(topic, 2)));
      const next = await store.apply(increment(entity, 'e2', at(topic, 3)));
      expect(next).toEqual({ status: 'applied', version: 2, state: expectedCounter(['e1', 'e2']) });
    });
  });
}

/** Event ids are remembered for the dedup window only; enabled by the `expiringDedup` feature. */
export function dedupWindowCases(h: ContractHarness): void {
  const expiring = h.features.expiringDedup;
  const timeout = h.features.timeoutMs + (expiring?.windowMs ?? 0);

  // A feature the adapter does not claim registers no case at all: nothing is skipped, nothing pretends to pass.
  if (!expiring) return;
  it('an event id older than the dedup window is applied again', { timeout }, async () => {
    const store = await h.open(expiring.factory);
    const entity = newEntity();
    const topic = newTopic();
    await store.apply(increment(entity, 'e1', at(topic, 1)));
    await new Promise((resolve) => setTimeout(resolve, expiring.windowMs * 2 + 50));
    const late = await store.apply(increment(entity, 'e1', at(topic, 2)));
    expect(late).toMatchObject(applied(2));
  });
}
