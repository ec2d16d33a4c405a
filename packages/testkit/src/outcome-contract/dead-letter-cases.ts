import { isLtyError, type DeadLetteredError } from '@listen-to-yourself/core';
import { expect, it } from 'vitest';
import { Deposit, eventually, WAIT_MS, type OutcomeHarness } from './fixtures';

/** The error `p` rejects with, and how long it took; fails the case if `p` resolves. */
export async function rejection(p: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await p;
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected a rejection, but it resolved');
}

function expectDeadLettered(error: unknown, expected: Partial<DeadLetteredError>) {
  expect(isLtyError(error, 'LTY_DEAD_LETTERED'), String(error)).toBe(true);
  expect(error).toMatchObject(expected);
}

export function deadLetterCases(h: OutcomeHarness): void {
  it('a dead-lettered event rejects waitForApplied promptly, in the applying instance and in another one', async () => {
    const s = h.scenario();
    const applier = await s.instance();
    const other = await s.instance({ subscribe: false });
    const receipt = await applier.send(Deposit, { account: s.id('p'), amount: -1 });
    const expected = { eventId: receipt.eventIds[0], reason: 'non-retryable' as const, parked: false };
    for (const service of [applier, other]) {
      const { error, ms } = await rejection(service.waitForApplied(receipt.token, { timeoutMs: WAIT_MS }));
      expectDeadLettered(error, expected);
      expect(ms).toBeLessThan(WAIT_MS / 2);
    }
    const outcome = await other.outcome(receipt.token, { timeoutMs: WAIT_MS });
    expect(outcome).toMatchObject({ applied: false, settled: true });
    expect(outcome.events[0]).toMatchObject({
      status: 'dead-lettered',
      reason: 'non-retryable',
      parked: false,
    });
    expect(await s.balance(s.id('p'))).toBeUndefined();
  });

  it('a later event parked behind a dead letter of its key rejects with parked = true; other keys apply', async () => {
    const s = h.scenario();
    const applier = await s.instance();
    const other = await s.instance({ subscribe: false });
    const first = await applier.send(Deposit, { account: s.id('q'), amount: -1 });
    const later = await other.send(Deposit, { account: s.id('q'), amount: 5 });
    const fine = await other.send(Deposit, { account: s.id('fine'), amount: 2 });
    await other.waitForApplied(fine.token, { timeoutMs: WAIT_MS });
    for (const service of [applier, other]) {
      const { error, ms } = await rejection(service.waitForApplied(later.token, { timeoutMs: WAIT_MS }));
      expectDeadLettered(error, { eventId: later.eventIds[0], reason: 'parked', parked: true });
      expect(ms).toBeLessThan(WAIT_MS / 2);
    }
    expectDeadLettered((await rejection(other.waitForApplied(first.token))).error, { parked: false });
    expect(await s.balance(s.id('q'))).toBeUndefined();
    expect(await s.balance(s.id('fine'))).toBe(2);
  });

  it('after a purge, later events of the key apply and the dead-lettered tokens still do not read as applied', async () => {
    const s = h.scenario();
    const applier = await s.instance();
    const other = await s.instance({ subscribe: false });
    const key = s.id('r');
    const dead = await applier.send(Deposit, { account: key, amount: -1 });
    const parked = await applier.send(Deposit, { account: key, amount: 3 });
    await rejection(other.waitForApplied(parked.token, { timeoutMs: WAIT_MS }));
    const dlq = s.deadLetters();
    expect((await dlq.purge({ key })).purged).toHaveLength(2);
    const after = await other.send(Deposit, { account: key, amount: 7 });
    await other.waitForApplied(after.token, { timeoutMs: WAIT_MS });
    expect(await s.balance(key)).toBe(7);
    for (const service of [applier, other]) {
      expectDeadLettered((await rejection(service.waitForApplied(dead.token))).error, { parked: false });
      expectDeadLettered((await rejection(service.waitForApplied(parked.token))).error, { parked: true });
      const outcome = await service.outcome(dead.token, { timeoutMs: 0 });
      expect(outcome.events[0]?.status).toBe('dead-lettered');
    }
  });

  it('a redrive that applies a dead-lettered event makes its token read as applied', async () => {
    const s = h.scenario();
    const applier = await s.instance();
    const other = await s.instance({ subscribe: false });
    const key = s.id('s');
    s.failing.add(key);
    const receipt = await applier.send(Deposit, { account: key, amount: 4 });
    expectDeadLettered((await rejection(other.waitForApplied(receipt.token))).error, {
      reason: 'non-retryable',
    });
    s.failing.delete(key);
    expect((await s.deadLetters().redrive({ key })).redriven).toHaveLength(1);
    const applied = async () => (await other.outcome(receipt.token, { timeoutMs: 0 })).applied;
    expect(await eventually(applied)).toBe(true);
    await applier.waitForApplied(receipt.token, { timeoutMs: WAIT_MS });
    expect(await s.balance(key)).toBe(4);
  });
}
