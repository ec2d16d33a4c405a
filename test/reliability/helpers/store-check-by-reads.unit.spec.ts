import { describe, expect, it } from 'vitest';
import { tally } from './store-check-by-reads';

const order = (id: string, events: number, totalCents = 100) => ({
  orderId: id,
  totalCents,
  eventIds: Array.from({ length: events }, (_, i) => `${id}-e${i}`),
});
const read = (version: number, history: string[], totalCents = 100) => ({
  version,
  state: { totalCents, history },
});

describe('the store check by reads', () => {
  it('passes a store that applied every event once and in order', () => {
    const check = tally(
      [order('a', 1), order('b', 2)],
      [read(1, ['CONFIRMED']), read(2, ['CONFIRMED', 'CANCELLED'])],
      3,
    );
    expect(check).toMatchObject({ applied: 3, lost: 0, doubled: 0, outOfOrder: 0, wrongTotal: 0 });
    expect(check.sumStored).toBe(check.sumExpected);
  });

  it('finds a lost event, a double effect, a wrong order and a wrong total', () => {
    const check = tally(
      [
        order('lost', 2),
        order('missing', 1),
        order('doubled', 1),
        order('swapped', 2),
        order('total', 1, 100),
      ],
      [
        read(1, ['CONFIRMED']),
        undefined,
        read(2, ['CONFIRMED']),
        read(2, ['CANCELLED', 'CONFIRMED']),
        read(1, ['CONFIRMED'], 999),
      ],
      7,
    );
    expect(check).toMatchObject({ lost: 2, doubled: 1, outOfOrder: 1, wrongTotal: 1 });
    expect(check.sumStored).not.toBe(check.sumExpected);
  });
});
