/**
 * An Avro schema in its JSON form, as an `.avsc` file holds it: a primitive type name, a named or complex type
 * object, or a union (an array of schemas). Attributes beyond `type` (name, fields, logicalType, ...) are kept as
 * given; the schema registry and other Avro implementations read them.
 */
export type AvroSchema = string | AvroSchemaObject | readonly AvroSchema[];

/** A complex or annotated Avro type: `{ type: 'record', name, fields }`, `{ type: 'long', logicalType }`, ... */
export interface AvroSchemaObject {
  readonly type: AvroSchema;
  readonly [attribute: string]: unknown;
}

/** One field of an Avro record. `default` is the value readers use when the writer's record lacks the field. */
export interface AvroField {
  readonly name: string;
  readonly type: AvroSchema;
  readonly default?: unknown;
  readonly doc?: string;
  readonly aliases?: readonly string[];
}

/** The full name (`namespace.name`) of a named schema; undefined for a primitive, array, map or union. */
export function fullNameOf(schema: AvroSchema): string | undefined {
  if (typeof schema !== 'object' || Array.isArray(schema)) return undefined;
  const { name, namespace } = schema as AvroSchemaObject;
  if (typeof name !== 'string') return undefined;
  if (name.includes('.') || typeof namespace !== 'string' || namespace === '') return name;
  return `${namespace}.${name}`;
}

/**
 * The Avro full name derived from an event type: the part after the last dot is the record name, the rest its
 * namespace (`shop.OrderCreated` → namespace `shop`, name `OrderCreated`). Characters Avro names do not allow
 * (`-`, `:`) become `_`, and a part that starts with a digit gets a leading `_`.
 */
export function avroNameForType(eventType: string): { name: string; namespace?: string } {
  const parts = eventType
    .split('.')
    .filter((p) => p.length > 0)
    .map((p) => p.replace(/[^A-Za-z0-9_]/g, '_'))
    .map((p) => (/^[0-9]/.test(p) ? `_${p}` : p));
  const name = parts.pop() ?? '_';
  return parts.length ? { name, namespace: parts.join('.') } : { name };
}
