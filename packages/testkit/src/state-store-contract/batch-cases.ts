import { describe, expect, it } from 'vitest';
import { at, expectedCounter, increment, newEntity, type ContractHarness, type Counter } from './fixtures';

/** applyBatch: per-change results in order, the same guarantees per change as apply. */
export function batchCases(h: ContractHarness): void {
  const timeout = h.features.timeoutMs;

  describe('applyBatch', () => {
    it('returns one result per change, in order', { timeout }, async () => {
      const { store, topic } = await h.scene();
      const [a, b, c] = [newEntity(), newEntity(), newEntity()];
      const results = await store.applyBatch([
        increment(a, 'a1', at(topic, 1)),
        increment(b, 'b1', at(topic, 2)),
        increment(c, 'c1', at(topic, 3)),
        increment(a, 'a2', at(topic, 4)),
      ]);
      expect(results.map((r) => [r.status, r.version])).toEqual([
        ['applied', 1],
        ['applied', 1],
        ['applied', 1],
        ['applied', 2],
      ]);
      expect(await store.get<Counter>(a)).toEqual({
        state: expectedCounter(['a1', 'a2']),
        version: 2,
        position: at(topic, 4),
      });
    });

    it('returns no results for an empty batch', { timeout }, async () => {
      const store = await h.open();
      expect(await store.applyBatch([])).toEqual([]);
    });

    it('lets each change for one entity see the previous one', { timeout }, async () => {
      const { store, entity, topic } = await h.scene();
      const tags = Array.from({ length: 10 }, (_, i) => `e${i}`);
      const results = await store.applyBatch(tags.map((tag, i) => increment(entity, tag, at(topic, i))));
      expect(results).toEqual(
        tags.map((_, i) => ({
          status: 'applied',
          version: i + 1,
          state: expectedCounter(tags.slice(0, i + 1)),
        })),
      );
      expect((await store.get<Counter>(entity))?.state).toEqual(expectedCounter(tags));
    });

    it('returns duplicates for changes applied before', { timeout }, async () => {
      const { store, entity, topic } = await h.scene();
      const changes = Array.from({ length: 6 }, (_, i) => increment(entity, `e${i}`, at(topic, i)));
      for (const change of changes.slice(0, 3)) await store.apply(change);
      const results = await store.applyBatch(changes);
      expect(results.map((r) => r.status)).toEqual([
        'duplicate',
        'duplicate',
        'duplicate',
        'applied',
        'applied',
        'applied',
      ]);
      expect(results.map((r) => r.version)).toEqual([3, 3, 3, 4, 5, 6]);
      expect((await store.get<Counter>(entity))?.state.count).toBe(6);
    });

    it('recognises duplicates within one batch, by position and by event id', { timeout }, async () => {
      const { store, entity, topic } = await h.scene();
      const results = await store.applyBatch([
        increment(entity, 'e1', at(topic, 1)),
        increment(entity, 'e1', at(topic, 1)),
        increment(entity, 'e1', at(topic, 2)),
        increment(entity, 'e2', at(topic, 3)),
      ]);
      expect(results.map((r) => (r.status === 'duplicate' ? r.reason : r.status))).toEqual([
        'applied',
        'position',
        'event-id',
        'applied',
      ]);
      expect(await store.get<Counter>(entity)).toEqual({
        state: expectedCounter(['e1', 'e2']),
        version: 2,
        position: at(topic, 3),
      });
    });

    it('a batch applied twice changes the store once', { timeout }, async () => {
      const { store, topic } = await h.scene();
      const entities = [newEntity(), newEntity(), newEntity()];
      const changes = Array.from({ length: 30 }, (_, i) =>
        increment(entities[i % 3]!, `e${i}`, at(topic, i)),
      );
      await store.applyBatch(changes);
      const again = await store.applyBatch(changes);
      expect(again.every((r) => r.status === 'duplicate')).toBe(true);
      for (const entity of entities)
        expect(await store.get<Counter>(entity)).toMatchObject({ version: 10, state: { count: 10 } });
    });
  });
}
