import { DecodeError, TransientError, isLtyError, messageOf } from '../errors/index';
import type { EventDefinition } from '../event/define-event';
import { parseOptions } from '../service/parse-options';
import { withEncodeNow } from './encode-now';
import type { Codec, EncodeInput } from './codec';
import { avroCodecDefaults, avroCodecOptionsSchema, type AvroCodecOptions } from './avro-codec-options';
import { avroReaders, type AvroReader, type Resolver } from './avro-readers';
import { registrar } from './avro-registration';
import { subjectNamer } from './avro-subjects';
import type { AvroType } from './avsc-runtime';
import { registryClient } from './registry-client';
import { frame, unframe } from './wire-format';

/**
 * Avro values in the Confluent wire format, schemas in a Confluent-compatible registry (see
 * {@link https://github.com/listen-to-yourself/listen-to-yourself/blob/main/docs/schemas.md | Schemas and codecs}).
 * `prepare()` derives (or takes) each event's schema, checks it against the subject's latest version and
 * registers it; a type first seen by `encode()` is registered then, once. `decode()` reads with the writer's
 * schema (by the record's id) resolved to the event's own schema, so old and new versions read both ways.
 */
export function avroCodec(options: AvroCodecOptions): Codec {
  const opts = parseOptions('avroCodec options', avroCodecOptionsSchema, avroCodecDefaults, options);
  const registry = registryClient(options.registry);
  const subjects = subjectNamer(opts.subjectStrategy);
  const registration = registrar({ registry, subjects, compatibility: opts.compatibility });
  const readers = avroReaders(options.schemas ?? {});
  const ids = new Map<string, Promise<number>>();
  /** The settled entries of `ids`: the hot path reads them without waiting on a promise. */
  const known = new Map<string, number>();
  const writers = new Map<number, Promise<AvroType | undefined>>();

  /** The schema id of a type on a topic, registering it on first use; a failure is retried on the next call. */
  function idOf(topic: string, def: EventDefinition): Promise<number> {
    const key = `${topic}\u0000${def.type}`;
    let id = ids.get(key);
    if (!id) {
      id = registration.register(topic, def, readers.of(def));
      ids.set(key, id);
      id.then(
        (n) => known.set(key, n),
        () => ids.delete(key),
      );
    }
    return id;
  }

  /** The writer's schema of an id. Neither failures nor "not found" are cached: a registry restored heals. */
  function writerOf(schemaId: number): Promise<AvroType | undefined> {
    let writer = writers.get(schemaId);
    if (!writer) {
      writer = registry.schemaById(schemaId);
      writers.set(schemaId, writer);
      writer.then(
        (w) => w ?? writers.delete(schemaId),
        () => writers.delete(schemaId),
      );
    }
    return writer;
  }

  async function resolverFor(schemaId: number, reader: AvroReader, what: string): Promise<Resolver> {
    const cached = reader.resolvers.get(schemaId);
    if (cached) return cached;
    const writer = await writerOf(schemaId).catch((err: unknown) => {
      // Any registry failure but "no such id" may heal (credentials, overload): retry, never dead-letter.
      throw isLtyError(err)
        ? err
        : new TransientError(`schema id ${schemaId}: ${messageOf(err)}`, { cause: err });
    });
    if (!writer)
      throw new DecodeError(`${what} names schema id ${schemaId}, which the registry does not have`);
    try {
      const resolver = reader.type.createResolver(writer);
      reader.resolvers.set(schemaId, resolver);
      return resolver;
    } catch (err) {
      throw new DecodeError(
        `${what} was written with schema id ${schemaId}, which its reader cannot read: ${messageOf(err)}`,
      );
    }
  }

  const codec: Codec = {
    name: 'avro',
    async prepare({ topic, events, consumeOnly = false }) {
      readers.check(events);
      subjects.plan(
        topic,
        events.map((e) => e.type),
      );
      // One at a time: an unreachable registry then fails start with one error, not one per event type.
      for (const def of events) {
        if (consumeOnly) await registration.checkReader(topic, def, readers.of(def));
        else await idOf(topic, def);
      }
    },
    async encode(input) {
      const now = encodeKnown(input);
      if (now) return now;
      const reader = readers.of(input.definition);
      return frame(await idOf(input.topic, input.definition), reader.write(input.payload));
    },
    async decode({ value, definition, topic }) {
      const what = `Record of ${definition.type} on ${topic}`;
      const { schemaId, body } = unframe(value, what);
      const reader = readers.of(definition);
      const resolver = reader.ownIds.has(schemaId) ? undefined : await resolverFor(schemaId, reader, what);
      return reader.read(body, resolver, what);
    },
    describe: (definition) => ({
      schemaFormat: 'application/vnd.apache.avro+json;version=1.9.0',
      schema: readers.of(definition).schema,
    }),
  };
  return withEncodeNow(codec, encodeKnown);

  /** Once a type's schema id is known, encoding waits on nothing. */
  function encodeKnown({ topic, definition, payload }: EncodeInput): Buffer | undefined {
    const id = known.get(`${topic}\u0000${definition.type}`);
    return id === undefined ? undefined : frame(id, readers.of(definition).write(payload));
  }
}
