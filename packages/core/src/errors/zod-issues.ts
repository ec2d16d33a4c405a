import type { z } from 'zod';
import type { ValidationIssue } from './errors';

/** Flattens zod's issues into ours: every problem, with a plain path. */
export function toIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: issue.message,
    code: issue.code,
  }));
}

/** True for a zod schema from any copy of zod 4. */
export function isZodSchema(value: unknown): value is z.ZodType {
  const v = value as { safeParse?: unknown; safeParseAsync?: unknown; _zod?: unknown } | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.safeParse === 'function' &&
    typeof v.safeParseAsync === 'function'
  );
}
