import { ConfigError } from '../errors/errors';
import type { EventDefinition } from '../event/define-event';
import { compatibilityProblems, mismatches } from './avro-compatibility';
import type { AvroReader } from './avro-readers';
import type { SubjectNamer } from './avro-subjects';
import type { Compatibility, RegistryClient } from './registry-client';

/** Checks and registers event schemas: what the Avro codec does at start and on a type's first encode. */
export interface Registrar {
  /**
   * Registers an event's schema under its subject after checking it against the latest version, and returns
   * its id. Throws ConfigError naming the fields when incompatible, TransientError when unreachable.
   */
  register(topic: string, def: EventDefinition, reader: AvroReader): Promise<number>;
  /** For a topic the service only reads: checks its schema can read the latest one registered there. */
  checkReader(topic: string, def: EventDefinition, reader: AvroReader): Promise<void>;
}

export function registrar(deps: {
  registry: RegistryClient;
  subjects: SubjectNamer;
  compatibility: Compatibility;
}): Registrar {
  const { registry, subjects, compatibility } = deps;

  async function check(topic: string, def: EventDefinition, reader: AvroReader, asReader: boolean) {
    const subject = subjects.subject(topic, def.type, reader.fullName);
    const latest = await registry.latest(subject);
    if (!latest) return subject;
    const problems = asReader
      ? mismatches(reader.type, latest.type, '').map(
          (m) => `field "${m.path}": cannot read the registered schema: ${m.detail}`,
        )
      : compatibilityProblems(compatibility, reader.type, latest.type);
    if (problems.length) {
      const how = asReader ? 'as a reader' : compatibility;
      throw new ConfigError(
        `Avro schema of ${def.type} (subject ${subject}, checked ${how} against schema id ${latest.id})`,
        problems,
      );
    }
    return subject;
  }

  return {
    async register(topic, def, reader) {
      const subject = await check(topic, def, reader, false);
      const result = await registry.register(subject, reader.schema, compatibility);
      if ('rejected' in result) {
        throw new ConfigError(`Avro schema of ${def.type} (subject ${subject})`, [
          `the registry refused it as not ${compatibility}-compatible: ${result.rejected}`,
        ]);
      }
      reader.ownIds.add(result.id);
      return result.id;
    },
    async checkReader(topic, def, reader) {
      await check(topic, def, reader, true);
    },
  };
}
