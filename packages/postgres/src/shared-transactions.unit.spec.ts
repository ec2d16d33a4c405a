import { describe, expect, it } from 'vitest';
import { sharedTransactions } from './shared-transactions';

/** A `together` that records each call and answers each item with its double, failing on 'bad'. */
function recorder() {
  const calls: string[][] = [];
  const together = (items: readonly string[]) => {
    calls.push([...items]);
    if (items.includes('bad')) return Promise.reject(new Error('together failed'));
    return Promise.resolve(items.map((i) => i + i));
  };
  return { calls, together };
}

const aloneOf = (items: readonly string[], log: string[][]) => () => {
  log.push([...items]);
  if (items.includes('bad')) return Promise.reject(new Error(`alone failed: ${items.join()}`));
  return Promise.resolve(items.map((i) => `${i}!`));
};

describe('sharedTransactions', () => {
  it('runs the calls of one turn together and gives each caller its own results, in order', async () => {
    const { calls, together } = recorder();
    const submit = sharedTransactions(together, 10);
    const alone: string[][] = [];
    const results = await Promise.all([
      submit(['a', 'b'], aloneOf(['a', 'b'], alone)),
      submit(['c'], aloneOf(['c'], alone)),
      submit(['d', 'e', 'f'], aloneOf(['d', 'e', 'f'], alone)),
    ]);
    expect(calls).toEqual([['a', 'b', 'c', 'd', 'e', 'f']]);
    expect(alone).toEqual([]);
    expect(results).toEqual([['aa', 'bb'], ['cc'], ['dd', 'ee', 'ff']]);
  });

  it('runs a caller alone when nobody else submitted in its turn', async () => {
    const { calls, together } = recorder();
    const submit = sharedTransactions(together, 10);
    const alone: string[][] = [];
    expect(await submit(['a'], aloneOf(['a'], alone))).toEqual(['a!']);
    expect(await submit(['b'], aloneOf(['b'], alone))).toEqual(['b!']);
    expect(calls).toEqual([]);
    expect(alone).toEqual([['a'], ['b']]);
  });

  it('when the shared call fails, runs each caller alone: only the failing one gets an error', async () => {
    const { calls, together } = recorder();
    const submit = sharedTransactions(together, 10);
    const alone: string[][] = [];
    const settled = await Promise.allSettled([
      submit(['a'], aloneOf(['a'], alone)),
      submit(['x', 'bad'], aloneOf(['x', 'bad'], alone)),
      submit(['c'], aloneOf(['c'], alone)),
    ]);
    expect(calls).toEqual([['a', 'x', 'bad', 'c']]);
    expect(alone).toEqual([['a'], ['x', 'bad'], ['c']]);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: ['a!'] });
    expect(settled[1]).toMatchObject({ status: 'rejected', reason: { message: 'alone failed: x,bad' } });
    expect(settled[2]).toEqual({ status: 'fulfilled', value: ['c!'] });
  });

  it('keeps each shared call within maxItems, never splitting a caller', async () => {
    const { calls, together } = recorder();
    const submit = sharedTransactions(together, 4);
    const alone: string[][] = [];
    const results = await Promise.all([
      submit(['a', 'b'], aloneOf(['a', 'b'], alone)),
      submit(['c', 'd'], aloneOf(['c', 'd'], alone)),
      submit(['e', 'f', 'g'], aloneOf(['e', 'f', 'g'], alone)),
      submit(['h'], aloneOf(['h'], alone)),
      submit(['i', 'j', 'k', 'l'], aloneOf(['i', 'j', 'k', 'l'], alone)),
    ]);
    expect(calls).toEqual([
      ['a', 'b', 'c', 'd'],
      ['e', 'f', 'g', 'h'],
    ]);
    // A caller with maxItems items or more does not wait for a turn.
    expect(alone).toEqual([['i', 'j', 'k', 'l']]);
    expect(results).toEqual([
      ['aa', 'bb'],
      ['cc', 'dd'],
      ['ee', 'ff', 'gg'],
      ['hh'],
      ['i!', 'j!', 'k!', 'l!'],
    ]);
  });

  it('does not hold a later turn back behind a shared call in flight', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const calls: string[][] = [];
    const submit = sharedTransactions(async (items: readonly string[]) => {
      calls.push([...items]);
      if (items.includes('a')) await held;
      return items.map((i) => i + i);
    }, 10);
    const first = Promise.all([
      submit(['a'], () => Promise.resolve(['-'])),
      submit(['b'], () => Promise.resolve(['-'])),
    ]);
    await new Promise((r) => setImmediate(r));
    const second = await Promise.all([
      submit(['c'], () => Promise.resolve(['-'])),
      submit(['d'], () => Promise.resolve(['-'])),
    ]);
    expect(second).toEqual([['cc'], ['dd']]);
    release();
    expect(await first).toEqual([['aa'], ['bb']]);
    expect(calls).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });
});
