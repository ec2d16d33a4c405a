import { isLtyError } from '@listen-to-yourself/core';
import { expect, it } from 'vitest';
import { rejection } from './dead-letter-cases';
import { Deposit, WAIT_MS, type OutcomeHarness } from './fixtures';

export function rejectionCases(h: OutcomeHarness): void {
  it('an event its reducer refused reads as rejected, with the reason, in every instance; a retry of it too', async () => {
    const s = h.scenario();
    const sender = await s.instance({ subscribe: false });
    const applier = await s.instance();
    const account = s.id('r');
    await applier.waitForApplied((await sender.send(Deposit, { account, amount: 5 })).token, {
      timeoutMs: WAIT_MS,
    });
    const key = s.id('zero');
    const refused = await sender.send(Deposit, { account, amount: 0 }, { idempotencyKey: key });
    // The client retried: the same event again, as a new record (a duplicate by event id in the store).
    const retried = await sender.send(Deposit, { account, amount: 0 }, { idempotencyKey: key });
    expect(retried.eventIds).toEqual(refused.eventIds);
    for (const service of [applier, sender]) {
      for (const receipt of [refused, retried]) {
        const { error } = await rejection(service.waitForApplied(receipt.token, { timeoutMs: WAIT_MS }));
        if (!isLtyError(error, 'LTY_REJECTED'))
          throw new Error(`not an ApplyRejectedError: ${String(error)}`);
        expect({ reason: error.reason, eventId: error.eventId }).toEqual({
          reason: 'nothing to deposit',
          eventId: refused.eventIds[0],
        });
        const outcome = await service.outcome(receipt.token, { timeoutMs: 0 });
        expect(outcome).toMatchObject({ applied: false, settled: true });
        expect(outcome.events[0]).toMatchObject({ status: 'rejected', reason: 'nothing to deposit' });
      }
    }
    expect(await s.balance(account)).toBe(5);
    expect(applier.stats()).toMatchObject({ rejected: 1, applied: 1, duplicates: 1 });
  });
}
