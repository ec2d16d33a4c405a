import type { ValidationIssue } from './errors';
import { LtyError } from './lty-error';

/**
 * A read named an entity no store can hold: its type or id is not a string or holds a character no store or Kafka
 * can keep (U+0000, a lone surrogate). Nothing was read; no such entity can exist, so a caller may answer 404 or
 * 400 without asking the store.
 */
export class InvalidEntityRefError extends LtyError {
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[]) {
    const list = issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    super('LTY_INVALID_ENTITY_REF', `Cannot read this entity: ${list}`);
    this.name = 'InvalidEntityRefError';
    this.issues = issues;
  }
}
