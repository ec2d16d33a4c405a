import type { ValidationIssue } from '../errors/errors';
import { InvalidEntityRefError } from '../errors/invalid-entity-ref-error';

// Without the `u` flag a regex sees UTF-16 code units, so it can find a surrogate that has no partner. U+0000 is
// the point of the check, not a typo.
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The issue code of a string no store or Kafka can keep. */
export const UNSTORABLE_STRING = 'unstorable_string';

/**
 * Why a string cannot be kept, or undefined when it can. U+0000: Postgres text and jsonb refuse it. A lone
 * surrogate: it has no UTF-8 form, so Kafka keys and headers and every store get `U+FFFD` instead of it (the
 * stored value no longer equals the one sent, and a key no longer names its entity).
 */
export function unstorableReason(text: string): string | undefined {
  const found = UNSTORABLE.exec(text);
  if (!found) return undefined;
  if (found[0] === '\u0000') return `holds U+0000 (NUL) at index ${found.index}, which stores cannot keep`;
  const unit = found[0].charCodeAt(0).toString(16).toUpperCase();
  return `holds a lone surrogate U+${unit} at index ${found.index}, which has no UTF-8 form`;
}

type Path = (string | number)[];

/**
 * Every string in `value` that no store or Kafka can keep, as validation issues with their paths: strings in
 * objects, arrays, maps and sets at any depth, and object and map keys (the path then ends at the key).
 */
export function unstorableStrings(value: unknown, path: Path = []): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<object>();
  const issue = (at: Path, what: string, reason: string) =>
    issues.push({ path: at, message: `${what} ${reason}`, code: UNSTORABLE_STRING });
  const visit = (v: unknown, at: Path): void => {
    if (typeof v === 'string') {
      const reason = unstorableReason(v);
      if (reason) issue(at, 'string', reason);
      return;
    }
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    if (v instanceof Date || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return;
    seen.add(v);
    if (Array.isArray(v)) return v.forEach((item, i) => visit(item, [...at, i]));
    if (v instanceof Set) return [...v].forEach((item, i) => visit(item, [...at, i]));
    const entries: [unknown, unknown][] = v instanceof Map ? [...v] : Object.entries(v);
    for (const [k, item] of entries) {
      const step = typeof k === 'string' || typeof k === 'number' ? k : String(k);
      const keyReason = typeof k === 'string' ? unstorableReason(k) : undefined;
      if (keyReason) issue([...at, step], 'key', keyReason);
      else if (typeof k === 'object') visit(k, [...at, step]);
      visit(item, [...at, step]);
    }
  };
  visit(value, path);
  return issues;
}

/**
 * Throws InvalidEntityRefError when `entity` names something no store can hold, so a read of it fails at once and
 * typed instead of with the driver's error.
 */
export function assertStorableRef(entity: { readonly type: unknown; readonly id: unknown }): void {
  const issues: ValidationIssue[] = [];
  for (const field of ['type', 'id'] as const) {
    const value = entity?.[field];
    if (typeof value !== 'string') {
      issues.push({ path: [field], message: 'must be a string', code: 'invalid_type' });
      continue;
    }
    const reason = unstorableReason(value);
    if (reason) issues.push({ path: [field], message: `string ${reason}`, code: UNSTORABLE_STRING });
  }
  if (issues.length > 0) throw new InvalidEntityRefError(issues);
}
