import type { EntityRef } from '@listen-to-yourself/core';
import type { ApplyChange, ApplyResult } from '@listen-to-yourself/core/store-kit';
import { describe, expect, it } from 'vitest';
import { at, increment, newEntity, newTopic, type ContractHarness, type Counter } from './fixtures';

/** Racing applies: one record delivered twice at once, and different events on one entity at once. */
export function concurrencyCases(h: ContractHarness): void {
  const { timeoutMs: timeout, concurrency: n } = h.features;
  const statuses = (results: ApplyResult[]) => results.map((r) => r.status).sort();
  const rounds = 5;

  describe('concurrency', () => {
    // Each race runs on a new entity (racing creates) and on an existing one (racing updates), for several
    // rounds on one store: the first round may be staggered by connections still opening, later ones are not.
    for (const existing of [false, true]) {
      const on = existing ? 'an existing entity' : 'a new entity';
      const race = async (changesFor: (entity: EntityRef, topic: string) => ApplyChange<Counter>[]) => {
        const store = await h.open();
        for (let round = 0; round < rounds; round++) {
          const entity = newEntity();
          const topic = newTopic();
          if (existing) await store.apply(increment(entity, 'e0', at(topic, 0)));
          const results = await Promise.all(changesFor(entity, topic).map((c) => store.apply(c)));
          expect(statuses(results), `round ${round}`).toEqual([
            'applied',
            ...Array<string>(n - 1).fill('duplicate'),
          ]);
          const count = existing ? 2 : 1;
          expect(await store.get<Counter>(entity)).toMatchObject({ version: count, state: { count } });
        }
      };

      it(`${n} racing applies of one change on ${on}: exactly one is applied`, { timeout }, () =>
        race((entity, topic) => Array.from({ length: n }, () => increment(entity, 'e1', at(topic, 1)))),
      );

      it(
        `${n} racing applies of one event id from different records on ${on}: one is applied`,
        { timeout },
        () =>
          // A retried command produced the same event to several records (here: on several partitions).
          race((entity, topic) =>
            Array.from({ length: n }, (_, i) => increment(entity, 'e1', at(topic, 1, i + 1))),
          ),
      );
    }

    it(`racing applies from ${n} store instances: exactly one is applied`, { timeout }, async () => {
      const stores = await Promise.all(Array.from({ length: Math.min(n, 4) }, () => h.open()));
      const entity = newEntity();
      const change = increment(entity, 'e1', at(newTopic(), 1));
      const results = await Promise.all(stores.flatMap((s) => [s.apply(change), s.apply(change)]));
      expect(results.filter((r) => r.status === 'applied')).toHaveLength(1);
      expect(await stores[0]!.get<Counter>(entity)).toMatchObject({ version: 1, state: { count: 1 } });
    });

    it(`${n} different events on one entity at once: all applied, no lost update`, { timeout }, async () => {
      const { store, entity, topic } = await h.scene();
      // Different partitions, so that no change is a duplicate by position of another whatever the order.
      const changes = Array.from({ length: n }, (_, i) => increment(entity, `e${i}`, at(topic, 1, i)));
      const results = await Promise.all(changes.map((c) => store.apply(c)));
      expect(results.every((r) => r.status === 'applied')).toBe(true);
      expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(
        Array.from({ length: n }, (_, i) => i + 1),
      );
      const stored = await store.get<Counter>(entity);
      expect(stored?.version).toBe(n);
      expect(stored?.state.count).toBe(n);
      expect([...(stored?.state.log ?? [])].sort()).toEqual(changes.map((c) => c.eventId).sort());
    });

    it('applies to different entities in parallel', { timeout }, async () => {
      const { store, topic } = await h.scene();
      const entities = Array.from({ length: n }, () => newEntity());
      await Promise.all(
        entities.map(async (entity, i) => {
          for (let k = 0; k < 3; k++) await store.apply(increment(entity, `e${k}`, at(topic, k, i)));
        }),
      );
      for (const entity of entities) expect((await store.get<Counter>(entity))?.state.count).toBe(3);
    });
  });
}
