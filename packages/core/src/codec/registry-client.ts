import { SchemaRegistry, SchemaType, type COMPATIBILITY } from '@kafkajs/confluent-schema-registry';
import { ConfigError, TransientError, messageOf } from '../errors/errors';
import type { AvroSchema } from './avro-schema';
import type { AvroType } from './avsc-runtime';

/**
 * A subject's compatibility level, as Confluent-compatible registries name them (the registry client's own
 * COMPATIBILITY values, written out so these declarations never load that library's: see RegistryInstance).
 */
export type Compatibility =
  'NONE' | 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE';

/**
 * A `SchemaRegistry` instance of `@kafkajs/confluent-schema-registry` (the codec checks that it is one). Typed by
 * the calls the codec makes rather than by that class, so a user's strict type-check (skipLibCheck false) never
 * reads the client's declarations, whose dependency mappersmith fails it.
 */
export interface RegistryInstance {
  getLatestSchemaId(subject: string): Promise<number>;
  getSchema(id: number): Promise<unknown>;
  register(schema: { type: never; schema: string }, options: { subject: string }): Promise<{ id: number }>;
}

/**
 * The registry calls the Avro codec makes, with errors sorted for it: a registry that cannot be reached or
 * answers 5xx, 408 or 429 gives a TransientError naming the URL; "not found" is an answer (undefined), not an
 * error; a registration refused as incompatible is `{ rejected }` with the registry's reason.
 */
export interface RegistryClient {
  /** The latest version of a subject, or undefined when the subject does not exist. */
  latest(subject: string): Promise<{ id: number; type: AvroType } | undefined>;
  /** Registers a schema (the same schema again gets the same id); sets a new subject's compatibility. */
  register(
    subject: string,
    schema: AvroSchema,
    compatibility: Compatibility,
  ): Promise<{ id: number } | { rejected: string }>;
  /** The writer's schema of an id, or undefined when the registry has no such id. */
  schemaById(id: number): Promise<AvroType | undefined>;
}

/** Wraps a `@kafkajs/confluent-schema-registry` client, made from `{ url }` or given. */
export function registryClient(registry: { url: string } | RegistryInstance): RegistryClient {
  const given = registry instanceof SchemaRegistry ? registry : undefined;
  const url = 'url' in registry ? registry.url : undefined;
  const client = given ?? new SchemaRegistry({ host: url ?? '' });
  const where = given ? 'the schema registry' : `schema registry ${url}`;

  /** Runs a registry call; a 404 answers undefined, a fault that heals becomes a TransientError. */
  async function call<T>(what: string, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (err) {
      const status = statusOf(err);
      if (status === 404) return undefined;
      if (!isTransient(err, status)) throw err;
      const url = (err as { url?: unknown }).url;
      const at = typeof url === 'string' && given ? ` at ${url}` : '';
      throw new TransientError(`${where} is unreachable (${what}${at}): ${messageOf(err)}`, { cause: err });
    }
  }

  return {
    async latest(subject) {
      const id = await call(`latest version of ${subject}`, () => client.getLatestSchemaId(subject));
      const type = id === undefined ? undefined : await this.schemaById(id);
      return id !== undefined && type ? { id, type } : undefined;
    },
    async register(subject, schema, compatibility) {
      const avro = { type: SchemaType.AVRO, schema: JSON.stringify(schema) } as const;
      try {
        const done = await call(`register ${subject}`, () =>
          client.register(avro, { subject, compatibility: compatibility as COMPATIBILITY }),
        );
        if (!done) throw new ConfigError(`schema registry subject ${subject}`, ['registration answered 404']);
        return { id: done.id };
      } catch (err) {
        if (statusOf(err) === 409) return { rejected: messageOf(err) };
        if ((err as Error).name === 'ConfluentSchemaRegistryCompatibilityError') {
          throw new ConfigError(`schema registry subject ${subject}`, [
            `${messageOf(err)}: the subject's compatibility level differs from the codec's \`compatibility\``,
          ]);
        }
        if (statusOf(err) === 422)
          throw new ConfigError(`Avro schema for subject ${subject}`, [messageOf(err)]);
        throw err;
      }
    },
    async schemaById(id) {
      return (await call(`schema id ${id}`, () => client.getSchema(id))) as AvroType | undefined;
    },
  };
}

const NETWORK =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|socket hang up|timeout/i;

function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

function isTransient(err: unknown, status: number | undefined): boolean {
  // The client reports a failed connection as a status-400 "response" whose message is the socket error.
  if (status === undefined || status === 400) return NETWORK.test(messageOf(err));
  return status >= 500 || status === 408 || status === 429;
}
