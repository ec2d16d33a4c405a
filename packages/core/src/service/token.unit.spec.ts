import { afterEach, describe, expect, it, vi } from 'vitest';
import { isLtyError } from '../errors/lty-error';
import { decodeToken, encodeToken, pollUntil, type TokenEntry } from './token';

const entries: TokenEntry[] = [
  {
    position: { topic: 'shop.events', partition: 3, offset: '9007199254740993' },
    key: 'order-1',
    type: 'shop.Created',
  },
  { position: { topic: 'shop.events', partition: 0, offset: '0' }, key: 'ünï/cödé?&', type: 'shop.Paid' },
  {
    position: { topic: 'shop.events', partition: 1, offset: '7' },
    key: 'order-2',
    type: 'shop.Paid',
    eventId: '0190e4b2-7c1a-5d3e-9f00-123456789abc',
  },
];

describe('consistency tokens', () => {
  it('round-trip positions (offsets beyond 2^53 included), keys and types', () => {
    expect(decodeToken(encodeToken(entries))).toEqual(entries);
  });

  it('are URL-safe', () => {
    expect(encodeToken(entries)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('refuse anything not made by encodeToken with an InvalidTokenError', () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const bad = [
      '',
      'not a token',
      b64([]),
      b64({ a: 1 }),
      b64([['t', 1.5, '1', 'k', 'x']]),
      b64([['t', 0, '-1', 'k', 'x']]),
      b64([['t', 0, '1', 7, 'x']]),
      b64([[1, 0, '1', 'k', 'x']]),
      b64([['t', 0, '1', 'k', 'x', 5]]),
      b64([['t', 0, '1', 'k', 'x', 'id', 'extra']]),
      b64(['not an entry']),
    ];
    for (const token of bad) {
      let caught: unknown;
      try {
        decodeToken(token);
      } catch (err) {
        caught = err;
      }
      expect(isLtyError(caught, 'LTY_INVALID_TOKEN'), token).toBe(true);
    }
  });
});

describe('pollUntil', () => {
  it('resolves as soon as the check holds', async () => {
    let calls = 0;
    await pollUntil(async () => ++calls === 3, 1000, 'three calls');
    expect(calls).toBe(3);
  });

  it('rejects with a TimeoutError naming what it waited for', async () => {
    const started = Date.now();
    const err = await pollUntil(async () => false, 30, 'the moon').catch((e: unknown) => e);
    expect(isLtyError(err, 'LTY_TIMEOUT')).toBe(true);
    expect((err as Error).message).toMatch(/the moon not reached within 30 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  describe('with a wake-up subscription', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('checks again at once when woken, instead of waiting out its interval, and unsubscribes', async () => {
      vi.useFakeTimers();
      let ready = false;
      let calls = 0;
      let wake: (() => void) | undefined;
      let unsubscribed = false;
      let done = false;
      const waiting = pollUntil(
        async () => (calls++, ready),
        60_000,
        'the news',
        (w) => {
          wake = w;
          return () => (unsubscribed = true);
        },
      ).then(() => (done = true));
      // Past the doubling: the interval is now 100 ms.
      await vi.advanceTimersByTimeAsync(1000);
      const before = calls;
      ready = true;
      wake!();
      await vi.advanceTimersByTimeAsync(0);
      await waiting;
      expect(done).toBe(true);
      expect(calls).toBe(before + 1);
      expect(unsubscribed).toBe(true);
    });

    it('unsubscribes on timeout too', async () => {
      let unsubscribed = false;
      const err = await pollUntil(
        async () => false,
        20,
        'never',
        () => () => (unsubscribed = true),
      ).catch((e: unknown) => e);
      expect(isLtyError(err, 'LTY_TIMEOUT')).toBe(true);
      expect(unsubscribed).toBe(true);
    });
  });
});
