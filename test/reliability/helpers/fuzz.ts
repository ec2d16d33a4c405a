import { randomUUID } from 'node:crypto';
import { randomInt } from './env';

// zod 4 keeps a schema's definition in `_zod.def`; checks sit in `def.checks`, each with its own `_zod.def`.
interface Def {
  type: string;
  shape?: Record<string, { _zod: { def: Def } }>;
  element?: { _zod: { def: Def } };
  innerType?: { _zod: { def: Def } };
  checks?: { _zod: { def: { check: string; format?: string; minimum?: number; value?: number } } }[];
}

const defOf = (schema: unknown) => (schema as { _zod: { def: Def } })._zod.def;
const pick = <T>(xs: readonly T[]): T => xs[randomInt(0, xs.length - 1)]!;

/**
 * A random valid value of a zod schema, built from its definition: objects, strings (length, uuid format), numbers
 * (integer, bounds), arrays (length) and defaults. Throws on any other kind, so a schema change is noticed here.
 * `strings` may supply the value of a named string field (a customer id the business rules know, say).
 */
export function generate(schema: unknown, strings: Record<string, () => string> = {}, field = ''): unknown {
  const def = defOf(schema);
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  const min = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
  switch (def.type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(def.shape!).map(([k, v]) => [k, generate(v, strings, k)] as const),
      );
    case 'string':
      if (strings[field]) return strings[field]();
      if (checks.some((c) => c.format === 'uuid')) return randomUUID();
      return Array.from({ length: min + randomInt(0, 8) }, () =>
        pick([...'abcdefghijklmnopqrstuvwxyz-_0123456789']),
      ).join('');
    case 'number': {
      const gt = checks.find((c) => c.check === 'greater_than');
      const low = gt ? gt.value! + (checks.some((c) => c.format === 'safeint') ? 1 : 0.5) : -1000;
      // Now and then a large one: products of large valid numbers must still be refused cleanly.
      return low + (Math.random() < 0.1 ? randomInt(0, 2 ** 40) : randomInt(0, 5000));
    }
    case 'array':
      return Array.from({ length: min + randomInt(0, 3) }, () => generate(def.element, strings));
    case 'default':
      return Math.random() < 0.5 ? undefined : generate(def.innerType, strings, field);
    default:
      throw new Error(`fuzz: no generator for zod type ${def.type}`);
  }
}

type Path = (string | number)[];

function paths(value: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  }
  return out;
}

const replacements: (() => unknown)[] = [
  () => null,
  () => undefined,
  () => '',
  () => ' ',
  () => 'not-a-uuid',
  () => 'x'.repeat(10_000),
  () => '🧨\u0000\u202e',
  () => -1,
  () => 0,
  () => 1.5,
  () => NaN,
  () => Infinity,
  () => Number.MAX_SAFE_INTEGER + 2,
  () => 1e308,
  () => '7',
  () => true,
  () => [],
  () => [null],
  () => ({}),
  () => ({ nested: { deeper: [1, 'two'] } }),
  () => Symbol('s'),
  () => new Date(),
  () => 10n,
];

/** Applies one random mutation at one random place: a replaced value, a deleted key, an extra key or element. */
export function mutate(value: unknown): unknown {
  const copy = clone(value);
  const path = pick(paths(copy));
  const fresh = pick(replacements)();
  if (path.length === 0) return Math.random() < 0.7 ? fresh : { ...(copy as object), extra: fresh };
  const parent = path
    .slice(0, -1)
    .reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], copy) as
    Record<string | number, unknown> | unknown[];
  const key = path[path.length - 1]!;
  const r = Math.random();
  if (r < 0.2 && !Array.isArray(parent)) delete parent[key as string];
  else if (r < 0.3 && Array.isArray(parent)) parent.push(fresh);
  else if (r < 0.4 && !Array.isArray(parent)) parent[`extra_${randomInt(0, 99)}`] = fresh;
  else (parent as Record<string | number, unknown>)[key] = fresh;
  return copy;
}

// Deep copy of arrays and plain objects; anything else (symbols, bigints, dates) is kept as it is.
function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)] as const));
  }
  return value;
}
