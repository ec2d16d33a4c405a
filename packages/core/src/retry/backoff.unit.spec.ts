import { describe, expect, it } from 'vitest';
import { isLtyError } from '../errors/lty-error';
import { exponential, exponentialBackoffDefaults, fixed, toBackoff } from './backoff';

const configIssues = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (isLtyError(err, 'LTY_CONFIG')) return (err as unknown as { issues: string[] }).issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('exponential', () => {
  it('grows the ceiling by factor from initialDelayMs and caps it at maxDelayMs', () => {
    const b = exponential({ initialDelayMs: 100, factor: 3, maxDelayMs: 1000, jitter: 'none' });
    expect([1, 2, 3, 4, 5].map(b)).toEqual([100, 300, 900, 1000, 1000]);
  });

  it('draws a full-jitter delay uniformly in [0, ceiling]', () => {
    let r = 0;
    const b = exponential({ initialDelayMs: 100, factor: 2, maxDelayMs: 10_000 }, () => r);
    expect(b(3)).toBe(0);
    r = 0.5;
    expect(b(3)).toBe(200);
    r = 0.999_999;
    expect(b(3)).toBe(400);
  });

  it('defaults to 100 ms × 2 up to 30 s with full jitter', () => {
    expect(exponentialBackoffDefaults).toMatchObject({
      initialDelayMs: 100,
      factor: 2,
      maxDelayMs: 30_000,
      jitter: 'full',
    });
    expect(Object.isFrozen(exponentialBackoffDefaults)).toBe(true);
    const b = exponential({}, () => 1);
    expect([1, 2, 20].map(b)).toEqual([100, 200, 30_000]);
  });

  it('treats retry numbers below 1 as the first retry', () => {
    expect(exponential({ jitter: 'none' })(0)).toBe(100);
  });

  it('reports every invalid option at once', () => {
    const issues = configIssues(() =>
      exponential({ initialDelayMs: -1, factor: 0.5, jitter: 'half' as 'full', extra: 1 } as never),
    );
    expect(issues.length).toBeGreaterThanOrEqual(4);
    expect(issues.join('\n')).toMatch(/initialDelayMs/);
    expect(issues.join('\n')).toMatch(/factor/);
    expect(issues.join('\n')).toMatch(/jitter/);
  });

  it('refuses maxDelayMs below initialDelayMs', () => {
    expect(configIssues(() => exponential({ initialDelayMs: 500, maxDelayMs: 100 }))).toEqual([
      '(options): maxDelayMs must be >= initialDelayMs',
    ]);
  });
});

describe('fixed and toBackoff', () => {
  it('fixed waits the same on every retry and refuses a negative or fractional delay', () => {
    expect([1, 2, 9].map(fixed(25))).toEqual([25, 25, 25]);
    expect(configIssues(() => fixed(-1))).toHaveLength(1);
    expect(configIssues(() => fixed(1.5))).toHaveLength(1);
  });

  it('reads a number as fixed, an object as exponential, a function as itself, nothing as the default', () => {
    expect(toBackoff(7)(5)).toBe(7);
    expect(toBackoff({ initialDelayMs: 10, jitter: 'none' })(3)).toBe(40);
    const custom = (n: number) => n * 1000;
    expect(toBackoff(custom)).toBe(custom);
    const d = toBackoff(undefined)(1);
    expect(d).toBeGreaterThanOrEqual(0);
    expect(d).toBeLessThanOrEqual(100);
  });
});
