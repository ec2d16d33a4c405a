import { ConfigError } from '../errors/errors';

/**
 * How a schema's registry subject is named (Confluent's strategies):
 * - `topic` (TopicNameStrategy): `<topic>-value`. One subject holds the versions of one record, so it fits a
 *   topic with one event type. A topic prepared with several event types gets `topic-record` subjects instead.
 * - `record` (RecordNameStrategy): the record's full name, shared by every topic that carries it.
 * - `topic-record` (TopicRecordNameStrategy): `<topic>-<record full name>`.
 */
export type SubjectStrategy = 'topic' | 'record' | 'topic-record';

/** Names subjects and remembers, per topic, which strategy applies and which type owns `<topic>-value`. */
export interface SubjectNamer {
  /** Records the event types known for a topic at start. Several under `topic` → `topic-record` subjects. */
  plan(topic: string, eventTypes: readonly string[]): void;
  /** The subject of an event type on a topic. Throws ConfigError for a second type on a `<topic>-value` topic. */
  subject(topic: string, eventType: string, recordFullName: string): string;
}

export function subjectNamer(strategy: SubjectStrategy): SubjectNamer {
  const known = new Map<string, Set<string>>();
  const owners = new Map<string, string>();
  const several = (topic: string) => (known.get(topic)?.size ?? 0) > 1;
  return {
    plan(topic, eventTypes) {
      const types = known.get(topic) ?? new Set<string>();
      for (const t of eventTypes) types.add(t);
      known.set(topic, types);
    },
    subject(topic, eventType, recordFullName) {
      if (strategy === 'record') return recordFullName;
      if (strategy === 'topic-record' || several(topic)) return `${topic}-${recordFullName}`;
      const owner = owners.get(topic) ?? eventType;
      if (owner !== eventType) {
        // Moving the first type to another subject now would restart its compatibility history: refuse instead.
        throw new ConfigError(`Avro subject of ${eventType} on topic ${topic}`, [
          `subject ${topic}-value already holds ${owner} (topic strategy: one event type per topic). Declare every ` +
            `event type of the topic at start (createService({ events }) or a handler) so each gets a ` +
            `${topic}-<record> subject, or set avroCodec({ subjectStrategy: 'topic-record' })`,
        ]);
      }
      owners.set(topic, owner);
      return `${topic}-value`;
    },
  };
}
