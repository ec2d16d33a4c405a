import { describe, expect, it } from 'vitest';
import { at, counted, increment, newEntity, newTopic, type ContractHarness, type Counter } from './fixtures';
import type { CaseFunction } from './outbox-fixtures';
import { announcement, announcing, pendingIds, refusing } from './outbox-fixtures';
import { decision } from '@listen-to-yourself/core';

/** Apply-time decisions: the outbox written with the state, refusals kept with the dedup record. */
export function decisionCases(h: ContractHarness, test: CaseFunction = it): void {
  const { timeoutMs: timeout, concurrency: n } = h.features;

  describe('decisions and the outbox', () => {
    test('announcements stay pending, in the order decided, until marked relayed', { timeout }, async () => {
      const { store, entity, topic } = await h.scene();
      expect(pendingIds(await store.apply(announcing(entity, 'e1', at(topic, 1))))).toEqual(['e1/a']);
      const second = await store.apply(announcing(entity, 'e2', at(topic, 2), ['e2/a', 'e2/b']));
      expect(second).toMatchObject({ status: 'applied', version: 2 });
      expect(pendingIds(second)).toEqual(['e1/a', 'e2/a', 'e2/b']);
      await store.markRelayed(entity, ['e1/a', 'unknown-id']);
      // A duplicate (the record delivered again) lists what is still pending.
      expect(pendingIds(await store.apply(announcing(entity, 'e2', at(topic, 2))))).toEqual(['e2/a', 'e2/b']);
      await store.markRelayed(entity, ['e2/a', 'e2/b']);
      await store.markRelayed(entity, ['e2/a']);
      const third = await store.apply(increment(entity, 'e3', at(topic, 3)));
      expect(third.pending).toBeUndefined();
      expect(await store.get<Counter>(entity)).toMatchObject({ version: 3, state: { count: 3 } });
    });

    test(
      'a refusal keeps state and version, records its reason and announces its drafts',
      { timeout },
      async () => {
        const { store, entity, topic } = await h.scene();
        await store.apply(increment(entity, 'e1', at(topic, 1)));
        const refused = await store.apply(refusing(entity, 'e2', at(topic, 2), 'out of stock'));
        expect(refused).toMatchObject({ status: 'rejected', version: 1, rejection: 'out of stock' });
        expect(pendingIds(refused)).toEqual(['e2/refused']);
        expect(await store.get<Counter>(entity)).toEqual({
          state: { count: 1, log: ['e1'] },
          version: 1,
          position: at(topic, 2),
        });
        expect(await store.rejectionOf(entity, 'e2')).toBe('out of stock');
        expect(await store.rejectionOf(entity, 'e1')).toBeUndefined();
        expect(await store.rejectionOf(entity, 'never-seen')).toBeUndefined();
        // Delivered again, or retried as a new record: a duplicate that calls nothing and announces nothing new.
        const again = counted(refusing(entity, 'e2', at(topic, 2), 'out of stock'));
        expect(await store.apply(again.change)).toMatchObject({ status: 'duplicate', reason: 'position' });
        const retried = counted(refusing(entity, 'e2', at(topic, 5), 'out of stock'));
        expect(await store.apply(retried.change)).toMatchObject({ status: 'duplicate', reason: 'event-id' });
        expect(pendingIds(await store.apply(increment(entity, 'e3', at(topic, 6))))).toEqual(['e2/refused']);
        expect(again.calls() + retried.calls()).toBe(0);
        expect(await store.rejectionOf(entity, 'e2')).toBe('out of stock');
      },
    );

    test(
      'an entity only refused so far reads as absent, yet keeps its position and outbox',
      { timeout },
      async () => {
        const { store, entity, topic } = await h.scene();
        expect(await store.apply(refusing(entity, 'e1', at(topic, 1), 'no'))).toMatchObject({
          status: 'rejected',
          version: 0,
        });
        expect(await store.get(entity)).toBeUndefined();
        const again = await store.apply(refusing(entity, 'e1', at(topic, 1), 'no'));
        expect(again).toMatchObject({ status: 'duplicate', reason: 'position' });
        expect(pendingIds(again)).toEqual(['e1/refused']);
        const first = await store.apply(increment(entity, 'e2', at(topic, 2)));
        expect(first).toMatchObject({ status: 'applied', version: 1, state: { count: 1, log: ['e2'] } });
      },
    );

    test(
      'an update that fails after deciding writes neither state nor announcements',
      { timeout },
      async () => {
        const { store, entity, topic } = await h.scene();
        await store.apply(announcing(entity, 'e1', at(topic, 1)));
        await store.markRelayed(entity, ['e1/a']);
        const failing = {
          ...announcing(entity, 'e2', at(topic, 2)),
          update: async () => {
            decision({ state: { count: 99, log: [] }, announcements: [announcement('lost')] });
            throw new Error('reducer failed');
          },
        };
        await expect(store.apply(failing)).rejects.toThrow('reducer failed');
        const next = await store.apply(announcing(entity, 'e3', at(topic, 3)));
        expect(pendingIds(next)).toEqual(['e3/a']);
        expect(await store.get<Counter>(entity)).toMatchObject({ version: 2, state: { log: ['e1', 'e3'] } });
      },
    );

    test(`${n} racing applies of one announcing event store its announcement once`, { timeout }, async () => {
      const store = await h.open();
      for (const existing of [false, true]) {
        const entity = newEntity();
        const topic = newTopic();
        if (existing) await store.apply(increment(entity, 'e0', at(topic, 0)));
        const results = await Promise.all(
          Array.from({ length: n }, (_, i) => store.apply(announcing(entity, 'e1', at(topic, 1, i % 2)))),
        );
        expect(results.filter((r) => r.status === 'applied')).toHaveLength(1);
        const after = await store.apply(increment(entity, 'e2', at(topic, 9, 3)));
        expect(pendingIds(after)).toEqual(['e1/a']);
      }
    });

    test(
      `${n} announcing events on one entity at once: the outbox order is the applied order`,
      { timeout },
      async () => {
        const { store, entity, topic } = await h.scene();
        const results = await Promise.all(
          Array.from({ length: n }, (_, i) => store.apply(announcing(entity, `e${i}`, at(topic, 1, i)))),
        );
        expect(results.every((r) => r.status === 'applied')).toBe(true);
        const stored = await store.get<Counter>(entity);
        const last = await store.apply(increment(entity, 'last', at(topic, 2, 0)));
        // Each change's state and announcement were written together: the log and the outbox agree.
        expect(pendingIds(last)).toEqual(stored!.state.log.map((e) => `${e}/a`));
      },
    );
  });
}
