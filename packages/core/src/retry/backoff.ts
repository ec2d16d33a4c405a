import { z } from 'zod';
import { ConfigError } from '../errors/errors';
import { parseOptions } from '../service/parse-options';

export const exponentialBackoffDefaults = Object.freeze({
  /** Ceiling of the first retry's delay. @defaultValue 100 */
  initialDelayMs: 100,
  /** Growth of the ceiling per attempt. @defaultValue 2 */
  factor: 2,
  /** Largest ceiling. @defaultValue 30000 */
  maxDelayMs: 30_000,
  /** 'full': a uniform random delay in [0, ceiling] (AWS "full jitter"); 'none': the ceiling itself. @defaultValue 'full' */
  jitter: 'full',
});

/** Options of {@link exponential}; defaults in `exponentialBackoffDefaults`. */
export interface ExponentialBackoffOptions {
  /** Ceiling of the first retry's delay. @defaultValue 100 */
  initialDelayMs?: number;
  /** Growth of the ceiling per retry. @defaultValue 2 */
  factor?: number;
  /** Largest ceiling. @defaultValue 30000 */
  maxDelayMs?: number;
  /** 'full': a uniform random delay in [0, ceiling]; 'none': the ceiling itself. @defaultValue 'full' */
  jitter?: 'full' | 'none';
}

const schema = z
  .object({
    initialDelayMs: z.number().int().min(0),
    factor: z.number().min(1),
    maxDelayMs: z.number().int().min(0),
    jitter: z.enum(['full', 'none']),
  })
  .strict()
  .refine((o) => o.maxDelayMs >= o.initialDelayMs, { message: 'maxDelayMs must be >= initialDelayMs' });

/** Delay before retry number `retry` (1 = first retry). */
export type Backoff = (retry: number) => number;

/**
 * Exponential backoff: ceiling(n) = min(maxDelayMs, initialDelayMs × factor^(n-1)); with full jitter the delay is
 * uniform in [0, ceiling(n)]. {@link https://github.com/listen-to-yourself/listen-to-yourself/blob/main/docs/retries.md | Retries} works the numbers through.
 */
export function exponential(
  options: ExponentialBackoffOptions = {},
  random: () => number = Math.random,
): Backoff {
  const o = parseOptions('exponential backoff options', schema, exponentialBackoffDefaults, options);
  return (retry) => {
    const ceiling = Math.min(o.maxDelayMs, o.initialDelayMs * o.factor ** Math.max(0, retry - 1));
    return Math.round(o.jitter === 'full' ? random() * ceiling : ceiling);
  };
}

/** A fixed delay. */
export function fixed(delayMs: number): Backoff {
  if (!Number.isInteger(delayMs) || delayMs < 0) {
    throw new ConfigError('fixed backoff', [`delayMs must be a non-negative integer, got ${delayMs}`]);
  }
  return () => delayMs;
}

/** `number` means a fixed delay in milliseconds (as BullMQ does); an object means exponential. */
export type BackoffSetting = number | ExponentialBackoffOptions | Backoff;

export function toBackoff(setting: BackoffSetting | undefined): Backoff {
  if (setting === undefined) return exponential();
  if (typeof setting === 'number') return fixed(setting);
  if (typeof setting === 'function') return setting;
  return exponential(setting);
}
