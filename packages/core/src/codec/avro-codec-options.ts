import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { z } from 'zod';
import type { AvroSchema } from './avro-schema';
import type { SubjectStrategy } from './avro-subjects';
import type { Compatibility, RegistryInstance } from './registry-client';

export const avroCodecDefaults = Object.freeze({
  /**
   * Registry subject naming. `topic`: `<topic>-value` while a topic carries one event type; a topic that carries
   * several gets `<topic>-<record>` subjects (see {@link https://github.com/listen-to-yourself/listen-to-yourself/blob/main/docs/schemas.md | Schemas and codecs}).
   * @defaultValue 'topic'
   */
  subjectStrategy: 'topic',
  /** Compatibility level set on new subjects and checked at start. @defaultValue 'BACKWARD' */
  compatibility: 'BACKWARD',
});

/** The options of {@link avroCodec}. */
export interface AvroCodecOptions {
  /** The Confluent-compatible registry: its base URL (e.g. `.../apis/ccompat/v7` on Apicurio), or a client. */
  registry: { url: string } | RegistryInstance;
  /** @defaultValue 'topic' */
  subjectStrategy?: SubjectStrategy;
  /** @defaultValue 'BACKWARD' */
  compatibility?: Compatibility;
  /**
   * Explicit Avro schemas by event type (the parsed `.avsc` or its JSON text), for events whose zod schema does
   * not map or whose Avro shape is owned elsewhere. Other event types get a schema derived from zod.
   */
  schemas?: Readonly<Record<string, AvroSchema>>;
}

const levels = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const satisfies readonly Compatibility[];

export const avroCodecOptionsSchema = z
  .object({
    registry: z.union([
      z.instanceof(SchemaRegistry),
      z.object({ url: z.string().url('must be the registry base URL') }).strict(),
    ]),
    subjectStrategy: z.enum(['topic', 'record', 'topic-record']),
    compatibility: z.enum(levels),
    schemas: z
      .record(z.string(), z.union([z.string(), z.object({}).passthrough(), z.array(z.unknown())]))
      .optional(),
  })
  .strict();
