import { ConfigError } from '@listen-to-yourself/core';
import type { z } from 'zod';

/**
 * Merges the given options (undefined fields ignored) over the frozen defaults and validates them, reporting
 * every problem at once as a ConfigError. (Core has the same helper but does not export it.)
 */
export function parseOptions<T>(what: string, schema: z.ZodType<T>, defaults: object, given: object): T {
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  const result = schema.safeParse({ ...defaults, ...defined });
  if (result.success) return result.data;
  throw new ConfigError(
    what,
    result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(options)'}: ${i.message}`),
  );
}
