import { describe, expect, it } from 'vitest';
import {
  applied,
  at,
  expectedCounter,
  increment,
  newEntity,
  newTopic,
  type ContractHarness,
  type Counter,
} from './fixtures';

/** apply then get, versions, per-key order and the stored position. */
export function applyCases(h: ContractHarness): void {
  const timeout = h.features.timeoutMs;

  describe('apply and get', () => {
    it('applies a change to a new entity and reads it back', { timeout }, async () => {
      const { store, entity } = await h.scene();
      const position = at(newTopic(), 7);
      const result = await store.apply(increment(entity, 'e1', position));
      expect(result).toEqual({ status: 'applied', version: 1, state: expectedCounter(['e1']) });
      expect(await store.get<Counter>(entity)).toEqual({
        state: expectedCounter(['e1']),
        version: 1,
        position,
      });
    });

    it('returns undefined for an entity nothing was applied to', { timeout }, async () => {
      const store = await h.open();
      expect(await store.get(newEntity())).toBeUndefined();
    });

    it('increments the version with every applied change', { timeout }, async () => {
      const { store, entity, topic } = await h.scene();
      const versions: number[] = [];
      for (let i = 0; i < 5; i++) {
        const result = await store.apply(increment(entity, `e${i}`, at(topic, i)));
        versions.push(result.version);
      }
      expect(versions).toEqual([1, 2, 3, 4, 5]);
      expect((await store.get(entity))?.version).toBe(5);
    });

    it('keeps entities of different types with the same id apart', { timeout }, async () => {
      const store = await h.open();
      const a = newEntity('lty-contract-a');
      const b = { type: 'lty-contract-b', id: a.id };
      const topic = newTopic();
      await store.apply(increment(a, 'e1', at(topic, 1)));
      const onB = await store.apply(increment(b, 'e1', at(topic, 1)));
      expect(onB.status).toBe('applied');
      await store.apply(increment(a, 'e2', at(topic, 2)));
      expect((await store.get<Counter>(a))?.state.count).toBe(2);
      expect((await store.get<Counter>(b))?.state.count).toBe(1);
    });

    it("applies one key's changes in order: the state is the reducer's fold", { timeout }, async () => {
      const { store, entity, topic } = await h.scene();
      const tags = Array.from({ length: 20 }, (_, i) => `e${i}`);
      for (const [i, tag] of tags.entries()) await store.apply(increment(entity, tag, at(topic, i * 3)));
      expect(await store.get<Counter>(entity)).toEqual({
        state: expectedCounter(tags),
        version: tags.length,
        position: at(topic, 57),
      });
    });
  });

  describe('positions', () => {
    it('get().position is the last applied position', { timeout }, async () => {
      const { store, entity, topic } = await h.scene();
      await store.apply(increment(entity, 'e1', at(topic, 10)));
      expect((await store.get(entity))?.position).toEqual(at(topic, 10));
      await store.apply(increment(entity, 'e2', at(topic, 11)));
      expect((await store.get(entity))?.position).toEqual(at(topic, 11));
    });

    it('compares offsets beyond 2^53 exactly', { timeout }, async () => {
      const { store, entity, topic } = await h.scene();
      await store.apply(increment(entity, 'e1', at(topic, '9007199254740993')));
      const older = await store.apply(increment(entity, 'e0', at(topic, '9007199254740992')));
      expect(older).toMatchObject({ status: 'duplicate', reason: 'position' });
      const newer = await store.apply(increment(entity, 'e2', at(topic, '9007199254740994')));
      expect(newer.status).toBe('applied');
      expect((await store.get(entity))?.position).toEqual(at(topic, '9007199254740994'));
    });

    it('does not compare a position with one on another partition', { timeout }, async () => {
      const { store, entity, topic } = await h.scene();
      await store.apply(increment(entity, 'e1', at(topic, 50, 0)));
      const other = await store.apply(increment(entity, 'e2', at(topic, 3, 1)));
      expect(other).toMatchObject(applied(2));
      expect((await store.get(entity))?.position).toEqual(at(topic, 3, 1));
    });
  });
}
