import type { z } from 'zod';
import { ConfigError } from '../errors/errors';
import { avroNameForType, type AvroField, type AvroSchema } from './avro-schema';
import { compileAvro, type AvroType } from './avsc-runtime';
import { defOf, unwrap, type ZodNumberFacts } from './zod-def';

/** An Avro schema derived from a zod schema, compiled, with the nodes to read as BigInt. */
export interface DerivedAvro {
  readonly schema: AvroSchema;
  readonly type: AvroType;
  readonly bigintNodes: ReadonlySet<object>;
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Walk {
  readonly root: string;
  readonly problems: string[];
  readonly bigints: Set<object>;
}

/**
 * Derives an Avro record schema from a zod object schema. `name` is an event type or an Avro full name
 * (`shop.OrderCreated`). The rules, in full at {@link https://github.com/listen-to-yourself/listen-to-yourself/blob/main/docs/schemas.md | Schemas and codecs}:
 * objects → records (nested ones named `<Record>_<path>`), optional or nullable → `["null", T]` with default
 * null, `.default(v)` → Avro default, enums → enums, arrays → arrays, records → maps, dates → `timestamp-millis`, strings and booleans as is,
 * numbers: integers → `int` when min and max fit 32 bits else `long`, `z.float32()` → `float`, others →
 * `double`; bigint → `long`. Throws ConfigError listing every construct that cannot map, by path.
 */
export function zodToAvro(schema: z.ZodType, name: string): AvroSchema {
  return deriveAvro(schema, name).schema;
}

/** {@link zodToAvro}, also compiled. Throws ConfigError naming the event type and every path that cannot map. */
export function deriveAvro(schema: z.ZodType, name: string): DerivedAvro {
  const { name: recordName, namespace } = avroNameForType(name);
  const walk: Walk = { root: recordName, problems: [], bigints: new Set() };
  const root = unwrap(schema).core;
  let avro: AvroSchema = 'null';
  if (defOf(root).type !== 'object')
    walk.problems.push('(payload): must be a z.object() to become an Avro record');
  else avro = { ...(mapCore(root, [], walk) as object), ...(namespace ? { namespace } : {}) } as AvroSchema;
  if (walk.problems.length) throw new ConfigError(`Avro schema of ${name}`, walk.problems);
  try {
    return { schema: avro, type: compileAvro(avro, walk.bigints), bigintNodes: walk.bigints };
  } catch (err) {
    throw new ConfigError(`Avro schema of ${name}`, [(err as Error).message]);
  }
}

function mapField(schema: z.ZodType, path: string[], walk: Walk): { type: AvroSchema; default?: unknown } {
  const u = unwrap(schema);
  const inner = mapCore(u.core, path, walk);
  const dflt = u.default === undefined ? undefined : jsonDefault(u.default.value);
  if (u.optional || u.nullable) {
    // Avro requires a union's default to match its first branch.
    return dflt === undefined || dflt === null
      ? { type: ['null', inner], default: null }
      : { type: [inner, 'null'], default: dflt };
  }
  return dflt === undefined ? { type: inner } : { type: inner, default: dflt };
}

function mapCore(schema: z.ZodType, path: string[], walk: Walk): AvroSchema {
  const def = defOf(schema);
  const at = path.length ? path.join('.').replace(/\.(\[\]|\{\})/g, '$1') : '(payload)';
  const named = () =>
    [walk.root, ...path.map((p) => (p === '[]' ? 'item' : p === '{}' ? 'value' : p))].join('_');
  const fail = (why: string): AvroSchema => {
    walk.problems.push(`${at}: ${why}; give the event an explicit Avro schema (avroCodec({ schemas }))`);
    return 'null';
  };
  switch (def.type) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return numberType(schema as unknown as ZodNumberFacts);
    case 'bigint': {
      const node = { type: 'long' };
      walk.bigints.add(node);
      return node;
    }
    case 'date':
      return { type: 'long', logicalType: 'timestamp-millis' };
    case 'enum': {
      const symbols = Object.values(def.entries ?? {});
      if (!symbols.every((s) => typeof s === 'string' && AVRO_NAME.test(s))) {
        return fail(
          `enum values ${JSON.stringify(symbols)} are not all Avro symbols ([A-Za-z_][A-Za-z0-9_]*)`,
        );
      }
      return { type: 'enum', name: named(), symbols };
    }
    case 'literal': {
      const kinds = new Set((def.values ?? []).map((v) => typeof v));
      if (kinds.size === 1 && (kinds.has('string') || kinds.has('boolean'))) return [...kinds][0]!;
      return fail(
        `z.literal(${JSON.stringify(def.values)}) maps only when all values are strings or booleans`,
      );
    }
    case 'array':
      return { type: 'array', items: mapField(def.element!, [...path, '[]'], walk).type };
    case 'record': {
      const key = unwrap(def.keyType!).core;
      if (!['string', 'enum', 'literal'].includes(defOf(key).type)) return fail('Avro map keys are strings');
      return { type: 'map', values: mapField(def.valueType!, [...path, '{}'], walk).type };
    }
    case 'object': {
      const fields: AvroField[] = [];
      for (const [name, field] of Object.entries(def.shape ?? {})) {
        if (!AVRO_NAME.test(name)) {
          walk.problems.push(`${[...path, name].join('.')}: "${name}" is not an Avro field name`);
          continue;
        }
        fields.push({ name, ...mapField(field, [...path, name], walk) });
      }
      return { type: 'record', name: named(), fields };
    }
    default:
      return fail(`z.${def.type}() has no Avro equivalent`);
  }
}

function numberType(n: ZodNumberFacts): AvroSchema {
  if (n.format === 'float32') return 'float';
  if (!n.isInt) return 'double';
  return (n.minValue ?? -Infinity) >= INT_MIN && (n.maxValue ?? Infinity) <= INT_MAX ? 'int' : 'long';
}

/** A zod default as an Avro (JSON) default: dates become epoch milliseconds, bigints numbers. */
function jsonDefault(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(jsonDefault);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonDefault(v)]));
  }
  return value;
}
