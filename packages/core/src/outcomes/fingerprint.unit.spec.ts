import { describe, expect, it } from 'vitest';
import { canonicalJson, commandFingerprint } from './fingerprint';

describe('command fingerprints', () => {
  it('ignore field order and undefined fields', () => {
    const a = commandFingerprint('Pay', { amount: 5, order: 'o1', note: undefined, items: [{ b: 1, a: 2 }] });
    const b = commandFingerprint('Pay', { items: [{ a: 2, b: 1 }], order: 'o1', amount: 5 });
    expect(a).toBe(b);
  });

  it('change with any field, with array order, and with the command name', () => {
    const base = commandFingerprint('Pay', { amount: 5, order: 'o1', items: [1, 2] });
    const variants = [
      commandFingerprint('Pay', { amount: 6, order: 'o1', items: [1, 2] }),
      commandFingerprint('Pay', { amount: 5, order: 'o2', items: [1, 2] }),
      commandFingerprint('Pay', { amount: 5, order: 'o1', items: [2, 1] }),
      commandFingerprint('Pay', { amount: 5, order: 'o1', items: [1, 2], extra: null }),
      commandFingerprint('Refund', { amount: 5, order: 'o1', items: [1, 2] }),
      commandFingerprint('Pay', { amount: '5', order: 'o1', items: [1, 2] }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('tell dates, bigints, maps and sets from the strings and objects JSON would make of them', () => {
    const d = new Date('2024-01-02T03:04:05.000Z');
    expect(canonicalJson({ at: d })).not.toBe(canonicalJson({ at: d.toISOString() }));
    expect(canonicalJson(10n)).not.toBe(canonicalJson('10'));
    expect(
      canonicalJson(
        new Map([
          ['b', 1],
          ['a', 2],
        ]),
      ),
    ).toBe(
      canonicalJson(
        new Map([
          ['a', 2],
          ['b', 1],
        ]),
      ),
    );
    expect(canonicalJson(new Set([1, 2]))).not.toBe(canonicalJson(new Set([1, 3])));
    expect(canonicalJson(Number.NaN)).not.toBe(canonicalJson(null));
  });
});
