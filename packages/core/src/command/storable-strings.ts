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
  if (!suspicious(text)) return undefined;
  const found = UNSTORABLE.exec(text);
  if (!found) return undefined;
  if (found[0] === '\u0000') return `holds U+0000 (NUL) at index ${found.index}, which stores cannot keep`;
  const unit = found[0].charCodeAt(0).toString(16).toUpperCase();
  return `holds a lone surrogate U+${unit} at index ${found.index}, which has no UTF-8 form`;
}

/** True when the text holds U+0000 or any surrogate: a scan of char codes, several times faster than the regex. */
function suspicious(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0 || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}

type Path = (string | number)[];

/**
 * True when `value` certainly holds no string that no store or Kafka can keep; false when it may (then
 * {@link unstorableStrings} tells which). A walk that allocates nothing, for the common clean command: it looks at
 * what `unstorableStrings` looks at, but gives up (answers false) past `budget` values or `depth` levels, where a
 * shared or cyclic structure would make a walk without a `seen` set slow or endless.
 */
export function surelyStorable(value: unknown): boolean {
  budget = BUDGET;
  return clean(value, 0);
}

const BUDGET = 10_000;
const MAX_DEPTH = 64;
let budget = BUDGET;

function clean(v: unknown, depth: number): boolean {
  if (typeof v === 'string') return unstorableReason(v) === undefined;
  if (typeof v !== 'object' || v === null) return true;
  if (--budget < 0 || depth > MAX_DEPTH) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!clean(v[i], depth + 1)) return false;
    return true;
  }
  if (v instanceof Map || v instanceof Set) return false;
  if (v instanceof Date || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return true;
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    if (unstorableReason(k) !== undefined || !clean((v as Record<string, unknown>)[k], depth + 1))
      return false;
  }
  return true;
}

/**
 * Every string in `value` that no store or Kafka can keep, as validation issues with their paths: strings in
 * objects, arrays, maps and sets at any depth, and object and map keys (the path then ends at the key). Objects in
 * `seen` are skipped and every object walked is added to it: pass one set to several walks that found nothing so
 * far, and what they share (the parsed input inside the events made from it) is read once.
 */
export function unstorableStrings(
  value: unknown,
  path: Path = [],
  seen: Set<object> = new Set(),
): ValidationIssue[] {
  const walk: Walk = { issues: [], at: [...path], seen };
  visit(walk, value);
  return walk.issues;
}

/**
 * One walk's state, passed down rather than closed over: this runs on every command, and a clean input should cost
 * little more than reading it. The path is pushed and popped, and copied only for an issue.
 */
interface Walk {
  readonly issues: ValidationIssue[];
  readonly at: Path;
  /** Objects already walked: zod passes `z.any()` values through, cycles included. */
  readonly seen: Set<object>;
}

function check(walk: Walk, text: string, what: string): void {
  const reason = unstorableReason(text);
  if (reason) walk.issues.push({ path: [...walk.at], message: `${what} ${reason}`, code: UNSTORABLE_STRING });
}

function visit(walk: Walk, v: unknown): void {
  if (typeof v === 'string') return check(walk, v, 'string');
  if (typeof v !== 'object' || v === null || walk.seen.has(v)) return;
  walk.seen.add(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) step(walk, i, v[i]);
  } else if (v instanceof Map) {
    for (const [k, item] of v) {
      walk.at.push(typeof k === 'string' || typeof k === 'number' ? k : String(k));
      if (typeof k === 'string') check(walk, k, 'key');
      else visit(walk, k);
      visit(walk, item);
      walk.at.pop();
    }
  } else if (v instanceof Set) {
    let i = 0;
    for (const item of v) step(walk, i++, item);
  } else if (!(v instanceof Date || ArrayBuffer.isView(v) || v instanceof ArrayBuffer)) {
    for (const k in v) {
      if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
      walk.at.push(k);
      check(walk, k, 'key');
      visit(walk, (v as Record<string, unknown>)[k]);
      walk.at.pop();
    }
  }
}

function step(walk: Walk, name: string | number, item: unknown): void {
  walk.at.push(name);
  visit(walk, item);
  walk.at.pop();
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
