import type { z } from 'zod';

/**
 * The parts of a zod 4 schema's definition (`_zod.def`) that the Avro mapping reads. Zod documents `def` as the
 * way to introspect schemas; this view keeps the reads typed and in one place.
 */
export interface ZodDefView {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly element?: z.ZodType;
  readonly keyType?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly entries?: Readonly<Record<string, string | number>>;
  readonly values?: readonly unknown[];
  readonly in?: z.ZodType;
  readonly out?: z.ZodType;
  readonly defaultValue?: unknown;
}

/** Number facts zod 4 exposes on `z.number()` and its formats (`z.int()`, `z.int32()`, `z.float32()`, ...). */
export interface ZodNumberFacts {
  readonly minValue: number | null;
  readonly maxValue: number | null;
  readonly isInt: boolean;
  readonly format: string | null;
}

export function defOf(schema: z.ZodType): ZodDefView {
  return (schema as unknown as { _zod: { def: ZodDefView } })._zod.def;
}

/** A schema with its wrappers peeled off, and what the wrappers said. */
export interface Unwrapped {
  readonly core: z.ZodType;
  readonly optional: boolean;
  readonly nullable: boolean;
  /** Present when a `.default()` wraps the schema. */
  readonly default?: { readonly value: unknown };
}

/**
 * Peels `optional`, `nullable`, `default`, `prefault`, `readonly`, `catch`, `nonoptional` and pipes into a schema
 * (`z.preprocess(fn, s)` maps as `s`). A pipe into a transform stays: its output type is unknown.
 */
export function unwrap(schema: z.ZodType): Unwrapped {
  let core = schema;
  let optional = false;
  let nullable = false;
  let dflt: { value: unknown } | undefined;
  for (;;) {
    const def = defOf(core);
    if (def.type === 'optional') optional = true;
    else if (def.type === 'nullable') nullable = true;
    else if (def.type === 'nonoptional') optional = false;
    else if (def.type === 'default') dflt ??= { value: def.defaultValue };
    else if (def.type === 'pipe' && def.out && defOf(def.out).type !== 'transform') {
      core = def.out;
      continue;
    } else if (!['prefault', 'readonly', 'catch'].includes(def.type)) break;
    core = def.innerType!;
  }
  return { core, optional, nullable, ...(dflt ? { default: dflt } : {}) };
}
