import type { Announcement } from '@listen-to-yourself/core';
import { describe, expect, it } from 'vitest';
import { at, increment, type ContractHarness } from './fixtures';
import type { CaseFunction } from './outbox-fixtures';
import { announcing, pendingIds, recordingSink, relay } from './outbox-fixtures';

/**
 * The relay's side of the outbox, as the framework drives it: apply, send what is pending, mark it relayed; on a
 * crash anywhere, the record comes again and its duplicate lists what is still pending.
 */
export function relayCases(h: ContractHarness, test: CaseFunction = it): void {
  const { timeoutMs: timeout } = h.features;

  describe('relaying the outbox', () => {
    test('relays each announcement once by id, in the order decided', { timeout }, async () => {
      const { store, entity, topic } = await h.scene();
      const { sink, ids } = recordingSink();
      for (let i = 1; i <= 5; i++) {
        const result = await store.apply(announcing(entity, `e${i}`, at(topic, i), [`e${i}/a`, `e${i}/b`]));
        await relay(store, entity, result, sink);
      }
      expect(ids).toEqual([1, 2, 3, 4, 5].flatMap((i) => [`e${i}/a`, `e${i}/b`]));
      expect(pendingIds(await store.apply(announcing(entity, 'e5', at(topic, 5))))).toEqual([]);
    });

    test('a crash during the relay leaves the rest pending for the next delivery', { timeout }, async () => {
      const { store, entity, topic } = await h.scene();
      const { sink, ids, firsts } = recordingSink();
      let budget = 2;
      const dying = async (a: Announcement) => {
        if (budget-- === 0) throw new Error('crashed mid-relay');
        await sink(a);
      };
      const change = announcing(entity, 'e1', at(topic, 1), ['a', 'b', 'c']);
      await expect(relay(store, entity, await store.apply(change), dying)).rejects.toThrow('crashed');
      const again = await store.apply(change);
      expect(again).toMatchObject({ status: 'duplicate' });
      expect(pendingIds(again)).toEqual(['a', 'b', 'c']);
      await relay(store, entity, again, sink);
      expect(ids).toEqual(['a', 'b', 'a', 'b', 'c']);
      expect(firsts()).toEqual(['a', 'b', 'c']);
      expect(pendingIds(await store.apply(change))).toEqual([]);
    });

    if (h.features.persistent) {
      test(
        'a crash between commit and relay: a restarted instance relays on redelivery',
        { timeout },
        async () => {
          const { store: before, entity, topic } = await h.scene();
          const change = announcing(entity, 'e1', at(topic, 1));
          await before.apply(change);
          // No relay, no close(): the process died. The record comes again to a new instance.
          const after = await h.open();
          const { sink, ids } = recordingSink();
          const again = await after.apply(change);
          expect(again).toMatchObject({ status: 'duplicate', reason: 'position' });
          await relay(after, entity, again, sink);
          expect(ids).toEqual(['e1/a']);
          expect(pendingIds(await after.apply(increment(entity, 'e2', at(topic, 2))))).toEqual([]);
        },
      );
    }

    test(
      'instances relaying one entity at once: nothing lost, the same ids, first sends in order',
      { timeout },
      async () => {
        const { store, entity, topic } = await h.scene();
        const other = h.features.persistent ? await h.open() : store;
        const { sink, firsts } = recordingSink();
        const decided: string[] = [];
        for (let i = 1; i <= 6; i++) {
          const change = announcing(entity, `e${i}`, at(topic, i));
          decided.push(`e${i}/a`);
          const result = await store.apply(change);
          // The owner relays; a second instance that got the same record (a rebalance) relays what it sees too.
          const seen = await other.apply(change);
          await Promise.all([relay(store, entity, result, sink), relay(other, entity, seen, sink)]);
        }
        expect(firsts()).toEqual(decided);
        expect(pendingIds(await store.apply(increment(entity, 'e7', at(topic, 7))))).toEqual([]);
      },
    );
  });
}
