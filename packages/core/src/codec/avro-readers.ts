import { ConfigError, DecodeError, messageOf } from '../errors/errors';
import type { EventDefinition } from '../event/define-event';
import { fullNameOf, type AvroSchema } from './avro-schema';
import { compileFixes } from './avro-value-fixes';
import { compileAvro, type AvroType } from './avsc-runtime';
import { deriveAvro } from './zod-to-avro';

/** How avsc reads one writer's schema as another (reader's) schema. */
export type Resolver = ReturnType<AvroType['createResolver']>;

/** One event type's own Avro schema (the reader's, and the writer's when we produce), compiled. */
export interface AvroReader {
  readonly schema: AvroSchema;
  readonly type: AvroType;
  readonly fullName: string;
  /** Ids under which this very schema is registered: their records read without resolving. */
  readonly ownIds: Set<number>;
  /** Resolvers from other writers' schema ids to this schema, made once per id. */
  readonly resolvers: Map<number, Resolver>;
  /** The Avro body of a payload. Throws ConfigError naming the paths that do not fit the schema. */
  write(payload: unknown): Buffer;
  /** A payload from an Avro body, through `resolver` when the writer's schema differs. Throws DecodeError. */
  read(body: Buffer, resolver: Resolver | undefined, what: string): unknown;
}

/** The readers of a codec: explicit schemas compiled at once (ConfigError), derived ones on first use. */
export function avroReaders(explicit: Readonly<Record<string, AvroSchema>>) {
  const given = new Map<string, { schema: AvroSchema; type: AvroType }>();
  const problems: string[] = [];
  for (const [eventType, raw] of Object.entries(explicit)) {
    try {
      const schema = (typeof raw === 'string' ? JSON.parse(raw) : raw) as AvroSchema;
      if (!fullNameOf(schema)) throw new Error('must be a named record schema');
      given.set(eventType, { schema, type: compileAvro(schema) });
    } catch (err) {
      problems.push(`schemas.${eventType}: ${messageOf(err)}`);
    }
  }
  if (problems.length) throw new ConfigError('avroCodec options', problems);

  const cache = new WeakMap<EventDefinition, AvroReader>();
  function of(def: EventDefinition): AvroReader {
    let reader = cache.get(def);
    if (!reader) {
      reader = makeReader(def, given.get(def.type) ?? deriveAvro(def.schema, def.type));
      cache.set(def, reader);
    }
    return reader;
  }
  /** Builds every definition's reader, throwing one ConfigError that lists the problems of all of them. */
  function check(defs: readonly EventDefinition[]): void {
    const found = defs.flatMap((def) => {
      try {
        of(def);
        return [];
      } catch (err) {
        return err instanceof ConfigError
          ? err.issues.map((i) => `${def.type}: ${i}`)
          : [`${def.type}: ${messageOf(err)}`];
      }
    });
    if (found.length) throw new ConfigError('Avro schemas', found);
  }
  return { of, check };
}

function makeReader(def: EventDefinition, compiled: { schema: AvroSchema; type: AvroType }): AvroReader {
  const { schema, type } = compiled;
  const fixes = compileFixes(def.schema);
  return {
    schema,
    type,
    fullName: fullNameOf(schema)!,
    ownIds: new Set(),
    resolvers: new Map(),
    write(payload) {
      const value = fixes.toAvro ? fixes.toAvro(payload) : payload;
      try {
        return type.toBuffer(value);
      } catch (err) {
        const paths: string[] = [];
        type.isValid(value, {
          errorHook: (path) => paths.push(`${path.join('.') || '(payload)'}: does not fit`),
        });
        throw new ConfigError(`Avro encoding of ${def.type}`, paths.length ? paths : [messageOf(err)]);
      }
    },
    read(body, resolver, what) {
      let value: unknown;
      try {
        value = resolver ? type.fromBuffer(body, resolver) : type.fromBuffer(body);
      } catch (err) {
        throw new DecodeError(`${what} has an unreadable Avro body: ${messageOf(err)}`, { cause: err });
      }
      return fixes.fromAvro ? fixes.fromAvro(value) : value;
    },
  };
}
