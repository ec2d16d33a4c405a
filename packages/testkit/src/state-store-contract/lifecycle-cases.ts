import { describe, expect, it } from 'vitest';
import { applied, at, increment, newEntity, newTopic, type ContractHarness } from './fixtures';

/** init() and close(). */
export function lifecycleCases(h: ContractHarness): void {
  const timeout = h.features.timeoutMs;
  const ownedClient = h.features.userOwnedClient;

  describe('lifecycle', () => {
    it('init() is idempotent on one instance', { timeout }, async () => {
      const store = await h.open();
      await store.init();
      await store.init();
      expect(await store.apply(increment(newEntity(), 'e1', at(newTopic(), 1)))).toMatchObject({
        status: 'applied',
      });
    });

    it('init() from two instances at once', { timeout }, async () => {
      const [a, b] = await Promise.all([h.open(), h.open()]);
      await Promise.all([a.init(), b.init(), a.init(), b.init()]);
      const entity = newEntity();
      const topic = newTopic();
      expect(await a.apply(increment(entity, 'e1', at(topic, 1)))).toMatchObject(applied(1));
      expect(await b.apply(increment(entity, 'e2', at(topic, 2)))).toMatchObject(applied(2));
    });

    it('close() is idempotent', { timeout }, async () => {
      const store = await h.open();
      await store.close();
      await store.close();
    });

    if (ownedClient) {
      it('close() leaves a client the user passed in usable', { timeout }, async () => {
        const fixture = await ownedClient();
        try {
          await fixture.store.init();
          expect(await fixture.store.apply(increment(newEntity(), 'e1', at(newTopic(), 1)))).toMatchObject({
            status: 'applied',
          });
          await fixture.store.close();
          await fixture.assertUsable();
        } finally {
          await fixture.cleanup();
        }
      });
    }
  });
}
