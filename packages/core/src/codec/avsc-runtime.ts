import * as avscModule from 'avsc';
import type { AvroSchema } from './avro-schema';

// avsc is CommonJS: Node's ESM loader exposes it only as `default`, bundlers and vitest as named exports.
const avsc = (avscModule as unknown as { default?: typeof avscModule }).default ?? avscModule;

/** A compiled Avro type (avsc). */
export type AvroType = avscModule.Type;

const MIN_LONG = -(2n ** 63n);
const MAX_LONG = 2n ** 63n - 1n;

/**
 * `timestamp-millis` as a JavaScript Date. It reads writers that declared the logical type, and plain `long` or
 * `int` writers too, since the schema registry client we may be handed loses logical types when it parses.
 */
class TimestampMillis extends avsc.types.LogicalType {
  protected override _fromValue(value: unknown): Date {
    return new Date(Number(value));
  }
  protected override _toValue(value: unknown): number | undefined {
    return value instanceof Date && !Number.isNaN(value.getTime()) ? value.getTime() : undefined;
  }
  protected override _resolve(writer: AvroType): ((value: unknown) => Date) | undefined {
    const name = writer.typeName;
    if (
      name === 'long' ||
      name === 'int' ||
      name === 'abstract:long' ||
      name === 'logical:timestamp-millis'
    ) {
      return (value) => (value instanceof Date ? value : new Date(Number(value)));
    }
    return undefined;
  }
}

/** A `long` held as a BigInt, for `z.bigint()` fields: every 64-bit value round-trips, not only safe integers. */
const bigintLong = avsc.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(0),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n), 0);
    return buf;
  },
  fromJSON: (v: unknown) => BigInt(v as string | number | bigint),
  toJSON: (n: bigint) =>
    n >= Number.MIN_SAFE_INTEGER && n <= Number.MAX_SAFE_INTEGER ? Number(n) : String(n),
  isValid: (n: unknown) => typeof n === 'bigint' && n >= MIN_LONG && n <= MAX_LONG,
  compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
});

/**
 * Compiles an Avro schema. `bigintNodes` are the `{ type: 'long' }` objects of the schema to read as BigInt
 * (matched by identity, so the schema sent to the registry stays plain Avro). Throws avsc's error when invalid.
 */
export function compileAvro(schema: AvroSchema, bigintNodes?: ReadonlySet<object>): AvroType {
  return avsc.Type.forSchema(schema as Parameters<typeof avsc.Type.forSchema>[0], {
    logicalTypes: { 'timestamp-millis': TimestampMillis },
    ...(bigintNodes?.size
      ? { typeHook: (node: unknown) => (bigintNodes.has(node as object) ? bigintLong : undefined) }
      : {}),
  });
}

/** True for a compiled avsc type (as opposed to a schema in JSON form). */
export function isAvroType(value: unknown): value is AvroType {
  return avsc.Type.isType(value);
}
