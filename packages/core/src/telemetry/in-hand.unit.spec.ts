import { describe, expect, it } from 'vitest';
import { inHandRecords } from './in-hand';

describe('records in hand (time lag)', () => {
  it('is 0 with nothing in hand, the age of the record in hand otherwise', () => {
    const h = inHandRecords();
    expect(h.ageSeconds('g', 't', 0, 10_000)).toBe(0);
    h.take('g', 't', 0, 4_000);
    expect(h.ageSeconds('g', 't', 0, 10_000)).toBe(6);
    expect(h.ageSeconds('g', 't', 1, 10_000)).toBe(0);
    expect(h.ageSeconds('other', 't', 0, 10_000)).toBe(0);
    h.release('g', 't', 0);
    expect(h.ageSeconds('g', 't', 0, 10_000)).toBe(0);
  });

  it('keeps the first time of a record taken up again for another attempt', () => {
    const h = inHandRecords();
    h.take('g', 't', 0, 1_000);
    h.take('g', 't', 0, 5_000);
    expect(h.ageSeconds('g', 't', 0, 11_000)).toBe(10);
  });

  it('never reports a negative age nor takes an unreadable timestamp', () => {
    const h = inHandRecords();
    h.take('g', 't', 0, 20_000);
    expect(h.ageSeconds('g', 't', 0, 10_000)).toBe(0);
    h.release('g', 't', 0);
    h.take('g', 't', 0, Number('not a number'));
    expect(h.ageSeconds('g', 't', 0, 10_000)).toBe(0);
  });
});
