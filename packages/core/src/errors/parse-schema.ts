import type { z } from 'zod';

// Schemas found to need zod's async parse (an async refinement or transform somewhere inside).
const asyncSchemas = new WeakSet<object>();

/**
 * `schema.safeParse()`, or `safeParseAsync()` (a promise) for a schema that needs it. zod's synchronous parse costs a
 * fraction of the async one, and this runs for every command and every consumed event. A schema with async
 * parts makes the synchronous parse throw; it is then remembered and parsed asynchronously from then on, so only
 * its first parse runs its synchronous checks (and starts its async ones) twice.
 */
export function parseSchema<T>(
  schema: z.ZodType<T>,
  value: unknown,
): z.ZodSafeParseResult<T> | Promise<z.ZodSafeParseResult<T>> {
  if (!asyncSchemas.has(schema)) {
    try {
      return schema.safeParse(value);
    } catch (err) {
      if (!needsAsync(err)) throw err;
      asyncSchemas.add(schema);
    }
  }
  return schema.safeParseAsync(value);
}

/** zod 4's `$ZodAsyncError`: "Encountered Promise during synchronous parse. Use .parseAsync() instead." */
function needsAsync(err: unknown): boolean {
  return (
    err instanceof Error &&
    (err.constructor.name === '$ZodAsyncError' || /promise during synchronous parse/i.test(err.message))
  );
}
