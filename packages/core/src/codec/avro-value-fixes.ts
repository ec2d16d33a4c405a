import type { z } from 'zod';
import { defOf, unwrap } from './zod-def';

type Fix = (value: unknown) => unknown;

/**
 * Where Avro values and zod values differ, beyond what avsc's types convert:
 * - `fromAvro`: an optional, non-nullable field reads back as `null` from its `["null", T]` union; zod's
 *   `.optional()` accepts `undefined` only, so the null becomes an absent field.
 * - `toAvro`: an optional item of an array or value of a map is `undefined` in JS; Avro writes it as null. (An
 *   optional record field needs nothing: avsc writes the field's default for `undefined`.)
 * Each is undefined when the schema has no such place, so most events pay nothing.
 */
export interface ValueFixes {
  readonly fromAvro?: Fix;
  readonly toAvro?: Fix;
}

/** Compiles the fixes of a zod schema. Never throws: parts that do not map to Avro are left alone. */
export function compileFixes(schema: z.ZodType): ValueFixes {
  const fromAvro = compile(schema, 'from', true);
  const toAvro = compile(schema, 'to', true);
  return { ...(fromAvro ? { fromAvro } : {}), ...(toAvro ? { toAvro } : {}) };
}

function compile(schema: z.ZodType, dir: 'from' | 'to', isField: boolean): Fix | undefined {
  const u = unwrap(schema);
  const inner = compileCore(u.core, dir);
  const swap = dir === 'from' ? u.optional && !u.nullable : (u.optional || u.nullable) && !isField;
  if (!swap) return inner;
  if (dir === 'from') return (v) => (v === null ? undefined : inner && v !== undefined ? inner(v) : v);
  return (v) => (v === undefined ? null : inner && v !== null ? inner(v) : v);
}

function compileCore(schema: z.ZodType, dir: 'from' | 'to'): Fix | undefined {
  const def = defOf(schema);
  if (def.type === 'object') {
    const fields = Object.entries(def.shape ?? {})
      .map(([name, s]) => [name, compile(s, dir, true)] as const)
      .filter((f): f is readonly [string, Fix] => f[1] !== undefined);
    if (!fields.length) return undefined;
    return (v) => {
      if (!v || typeof v !== 'object') return v;
      // Decoded values are ours to change; a payload being encoded belongs to the caller.
      const record = dir === 'from' ? (v as Record<string, unknown>) : { ...(v as Record<string, unknown>) };
      for (const [name, fix] of fields) {
        const fixed = fix(record[name]);
        if (fixed === undefined) delete record[name];
        else record[name] = fixed;
      }
      return record;
    };
  }
  if (def.type === 'array') {
    const item = compile(def.element!, dir, false);
    return item && ((v) => (Array.isArray(v) ? v.map(item) : v));
  }
  if (def.type === 'record') {
    const value = compile(def.valueType!, dir, false);
    return (
      value && ((v) => (v && typeof v === 'object' ? mapValues(v as Record<string, unknown>, value) : v))
    );
  }
  return undefined;
}

function mapValues(v: Record<string, unknown>, fix: Fix): Record<string, unknown> {
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fix(x)]));
}
