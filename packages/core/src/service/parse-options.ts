import type { z } from 'zod';
import { ConfigError } from '../errors/errors';

/**
 * Merges user options (undefined fields ignored) over frozen defaults and validates the result, reporting every
 * problem at once as a {@link ConfigError}. Exported for adapters, so that their options fail the same way.
 */
export function parseOptions<T>(
  what: string,
  schema: z.ZodType<T>,
  defaults: Readonly<Partial<T>>,
  given: unknown,
): T {
  const merged = { ...defaults, ...(stripUndefined(given) ?? {}) };
  const result = schema.safeParse(merged);
  if (!result.success) {
    throw new ConfigError(
      what,
      result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(options)'}: ${i.message}`),
    );
  }
  return result.data;
}

function stripUndefined(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') return { '(options)': value };
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
