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
