import { createHash } from 'node:crypto';

/**
 * The fingerprint of one command: SHA-256 (base64url) of its name and its parsed input in a canonical JSON form
 * (object keys sorted, `undefined` fields dropped, dates as ISO strings, bigints as decimal strings), so the same
 * input gives the same fingerprint whatever the order of its fields, and any change of a field changes it.
 */
export function commandFingerprint(command: string, input: unknown): string {
  return createHash('sha256')
    .update(`${command}\n${canonicalJson(input)}`, 'utf8')
    .digest('base64url');
}

/** JSON with sorted object keys; values JSON cannot hold are written in a form that still tells them apart. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value instanceof Date) return { $date: Number.isNaN(value.getTime()) ? null : value.toISOString() };
  if (Array.isArray(value)) return value.map(canonical);
  if (value instanceof Map) {
    return { $map: [...value].map(([k, v]) => [canonical(k), canonical(v)]).sort(byJson) };
  }
  if (value instanceof Set) return { $set: [...value].map(canonical).sort(byJson) };
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canonical(v);
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
  return value;
}

const byJson = (a: unknown, b: unknown) => {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
};
