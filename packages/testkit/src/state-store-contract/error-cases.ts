import type { ApplyChange } from '@listen-to-yourself/core/store-kit';
import { describe, expect, it } from 'vitest';
import { applied, at, increment, newEntity, type ContractHarness, type Counter } from './fixtures';

/** A change whose update fails, synchronously or not, with `error`. */
function failing(change: ApplyChange<Counter>, error: Error, async: boolean): ApplyChange<Counter> {
  return {
    ...change,
    update: async
      ? async () => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          throw error;
        }
      : () => {
          throw error;
        },
  };
}

/** Errors thrown by `update` pass through unchanged and leave nothing behind. */
export function errorCases(h: ContractHarness): void {
  const timeout = h.features.timeoutMs;

  describe('update throwing', () => {
    for (const async of [false, true]) {
      const how = async ? 'an async update rejects' : 'update throws';
      it(`${how}: the error passes through and nothing is written`, { timeout }, async () => {
        const { store, topic } = await h.scene();
        const fresh = newEntity();
        const existing = newEntity();
        await store.apply(increment(existing, 'e1', at(topic, 1)));
        const error = new Error('handler failed');

        await expect(store.apply(failing(increment(fresh, 'e1', at(topic, 2)), error, async))).rejects.toBe(
          error,
        );
        await expect(
          store.apply(failing(increment(existing, 'e2', at(topic, 3)), error, async)),
        ).rejects.toBe(error);
        expect(await store.get(fresh)).toBeUndefined();
        expect(await store.get(existing)).toMatchObject({ version: 1, position: at(topic, 1) });

        // Neither the event id nor the position was recorded: the retried change applies.
        expect(await store.apply(increment(fresh, 'e1', at(topic, 2)))).toMatchObject(applied(1));
        expect(await store.apply(increment(existing, 'e2', at(topic, 3)))).toMatchObject(applied(2));
      });
    }

    it(
      'a batch with a failing update rejects with its error; applying it again is safe',
      { timeout },
      async () => {
        const { store, topic } = await h.scene();
        const [a, b, c] = [newEntity(), newEntity(), newEntity()];
        const error = new Error('handler failed');
        const good = [
          increment(a, 'a1', at(topic, 1)),
          increment(b, 'b1', at(topic, 2)),
          increment(c, 'c1', at(topic, 3)),
        ];
        await expect(store.applyBatch([good[0]!, failing(good[1]!, error, false), good[2]!])).rejects.toBe(
          error,
        );
        expect(await store.get(b)).toBeUndefined();

        const again = await store.applyBatch(good);
        expect(again[1]).toMatchObject(applied(1));
        for (const entity of [a, b, c])
          expect(await store.get<Counter>(entity)).toMatchObject({ version: 1, state: { count: 1 } });
      },
    );
  });
}
