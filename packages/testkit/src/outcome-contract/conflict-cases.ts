import { isLtyError } from '@listen-to-yourself/core';
import { expect, it } from 'vitest';
import { rejection } from './dead-letter-cases';
import { Deposit, WAIT_MS, type OutcomeHarness } from './fixtures';

/**
 * A token written by hand in the framework's wire form (base64url JSON of [topic, partition, offset, key, type]
 * per event), so the suite can name positions no send produced.
 */
function tokenOf(
  entries: readonly { topic: string; partition: number; offset: string; key: string; type: string }[],
) {
  const compact = entries.map((e) => [e.topic, e.partition, e.offset, e.key, e.type]);
  return Buffer.from(JSON.stringify(compact), 'utf8').toString('base64url');
}

export function conflictCases(h: OutcomeHarness): void {
  /**
   * Both commands are produced before any is applied (the sender does not subscribe, the applier starts after),
   * so the conflict can only be found at apply time.
   */
  async function producedBeforeApplied(h2: OutcomeHarness, second: (key: string) => { account: string }) {
    const s = h2.scenario();
    const sender = await s.instance({ subscribe: false });
    const key = s.id('idem');
    const account = s.id('c');
    const first = await sender.send(Deposit, { account, amount: 5 }, { idempotencyKey: key });
    const reused = await sender.send(
      Deposit,
      { ...second(account), amount: 5, note: 'other input' },
      { idempotencyKey: key },
    );
    const applier = await s.instance();
    return { s, sender, applier, key, account, first, reused };
  }

  it('a key reused with other input for the same entity ends in a conflict at apply time and changes nothing', async () => {
    const { s, sender, applier, key, account, first, reused } = await producedBeforeApplied(h, (a) => ({
      account: a,
    }));
    await applier.waitForApplied(first.token, { timeoutMs: WAIT_MS });
    for (const service of [sender, applier]) {
      const { error } = await rejection(service.waitForApplied(reused.token, { timeoutMs: WAIT_MS }));
      expect(isLtyError(error, 'LTY_IDEMPOTENCY_CONFLICT'), String(error)).toBe(true);
      expect(error).toMatchObject({ idempotencyKey: key, eventId: reused.eventIds[0] });
      const outcome = await service.outcome(reused.token, { timeoutMs: 0 });
      expect(outcome.events[0]).toMatchObject({ status: 'conflict', idempotencyKey: key });
    }
    expect(reused.eventIds).not.toEqual(first.eventIds);
    expect(await s.balance(account)).toBe(5);
    expect(applier.stats().conflicts).toBe(1);
  });

  it('a key reused with other input for another entity: one command holds the key, the other conflicts and writes nothing', async () => {
    const { s, sender, applier, key, account, first, reused } = await producedBeforeApplied(h, (a) => ({
      account: `${a}-other`,
    }));
    // The entities may sit on different partitions, applied in either order: the first to reach the store wins.
    const outcomes = await Promise.all(
      [first, reused].map((r) => sender.outcome(r.token, { timeoutMs: WAIT_MS })),
    );
    const statuses = outcomes.map((o) => o.events[0]!.status).sort();
    expect(statuses).toEqual(['applied', 'conflict']);
    const loser = outcomes[0]!.applied ? reused : first;
    const { error } = await rejection(sender.waitForApplied(loser.token, { timeoutMs: WAIT_MS }));
    expect(isLtyError(error, 'LTY_IDEMPOTENCY_CONFLICT'), String(error)).toBe(true);
    expect(error).toMatchObject({ idempotencyKey: key });
    const balances = [await s.balance(account), await s.balance(`${account}-other`)];
    expect(balances).toEqual(outcomes[0]!.applied ? [5, undefined] : [undefined, 5]);
    expect(applier.stats().conflicts).toBe(1);
  });

  it('send() refuses a key known to hold other input before producing anything (any instance with idempotencyReadOnSend)', async () => {
    const s = h.scenario();
    const applier = await s.instance();
    const key = s.id('known');
    const account = s.id('k');
    const first = await applier.send(Deposit, { account, amount: 5 }, { idempotencyKey: key });
    await applier.waitForApplied(first.token, { timeoutMs: WAIT_MS });
    const reading = await s.instance({ subscribe: false, readOnSend: true });
    // The applier knows the key from applying it; the other instance reads the ledger.
    for (const service of [applier, reading]) {
      for (const input of [
        { account, amount: 6 },
        { account: `${account}-x`, amount: 5 },
        { account, amount: 5, note: 'n' },
      ]) {
        const { error } = await rejection(service.send(Deposit, input, { idempotencyKey: key }));
        expect(isLtyError(error, 'LTY_IDEMPOTENCY_CONFLICT'), String(error)).toBe(true);
      }
    }
    // Nothing was produced: a later command of the entity is the next thing applied, on top of 5.
    const next = await reading.send(Deposit, { account, amount: 1 });
    await reading.waitForApplied(next.token, { timeoutMs: WAIT_MS });
    expect(await s.balance(account)).toBe(6);

    // Without the read, an instance that never saw the key accepts the command; its token tells the conflict.
    const cacheOnly = await s.instance({ subscribe: false });
    const late = await cacheOnly.send(Deposit, { account, amount: 9 }, { idempotencyKey: key });
    const { error } = await rejection(cacheOnly.waitForApplied(late.token, { timeoutMs: WAIT_MS }));
    expect(isLtyError(error, 'LTY_IDEMPOTENCY_CONFLICT'), String(error)).toBe(true);
    expect(await s.balance(account)).toBe(6);
  });

  it('the same key with the same input stays an ordinary retry', async () => {
    const s = h.scenario();
    const applier = await s.instance();
    const other = await s.instance({ subscribe: false });
    const key = s.id('retry');
    const account = s.id('e');
    const a = await applier.send(Deposit, { account, amount: 3 }, { idempotencyKey: key });
    const b = await other.send(Deposit, { amount: 3, account }, { idempotencyKey: key });
    expect(b.eventIds).toEqual(a.eventIds);
    await other.waitForApplied(a.token, { timeoutMs: WAIT_MS });
    await other.waitForApplied(b.token, { timeoutMs: WAIT_MS });
    const c = await other.send(Deposit, { account, amount: 3 }, { idempotencyKey: key });
    await applier.waitForApplied(c.token, { timeoutMs: WAIT_MS });
    expect(await s.balance(account)).toBe(3);
    expect((await other.outcome(c.token, { timeoutMs: 0 })).applied).toBe(true);
  });

  it('a malformed or foreign token is an InvalidTokenError; an unreached one is pending', async () => {
    const s = h.scenario();
    const service = await s.instance({ subscribe: false });
    const foreign = tokenOf([{ topic: 'another.events', partition: 0, offset: '0', key: 'k', type: 'x' }]);
    for (const token of ['', 'not-a-token', 'W1tdXQ', foreign]) {
      for (const call of [
        () => service.waitForApplied(token, { timeoutMs: 100 }),
        () => service.outcome(token, { timeoutMs: 100 }),
      ]) {
        const { error } = await rejection(call());
        expect(isLtyError(error, 'LTY_INVALID_TOKEN'), `${token}: ${String(error)}`).toBe(true);
      }
    }
    const unreached = tokenOf([
      { topic: service.topic, partition: 0, offset: '999999', key: 'k', type: 'outcome.Deposited' },
    ]);
    const outcome = await service.outcome(unreached, { timeoutMs: 300 });
    expect(outcome).toMatchObject({ applied: false, settled: false });
    expect(outcome.events[0]?.status).toBe('pending');
    const { error } = await rejection(service.waitForApplied(unreached, { timeoutMs: 300 }));
    expect(isLtyError(error, 'LTY_TIMEOUT'), String(error)).toBe(true);
  });
}
