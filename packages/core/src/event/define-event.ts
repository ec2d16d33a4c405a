import type { z } from 'zod';
import { ConfigError, EventSchemaError } from '../errors/errors';
import { isZodSchema, toIssues } from '../errors/zod-issues';

/**
 * An event about to be produced: its definition and its payload. Made by `EventDefinition.of()`. `T` is the
 * event's type name, so drafts of two events with the same payload shape are different types.
 */
export interface EventDraft<P = unknown, out T extends string = string> {
  readonly definition: EventDefinition<P, T>;
  readonly payload: P;
}

/** The options of {@link defineEvent}. */
export interface EventOptions<S extends z.ZodType, T extends string = string> {
  /** The event's type name, unique in the service, e.g. `'shop.OrderCreated'`. Sent in the `lty-event-type` header. */
  type: T;
  /** The payload schema. Checked when an event is made and again when it is consumed. */
  schema: S;
  /** The aggregate key: events with the same key go to one partition and are applied in order. */
  key: (payload: z.output<S>) => string;
  /**
   * Schema version, sent in the `lty-schema-version` header.
   * @defaultValue 1
   */
  version?: number;
  /**
   * Where a subscriber handler's follow-up events of this type go. Commands always produce to their service's
   * own topic. @defaultValue the emitting service's own topic
   */
  topic?: string;
}

/**
 * A named, schema-checked event type. `of()` makes a draft that a command returns from `toEvents()`. `P` is the
 * payload and `T` the literal type name (`defineEvent` infers both), which tells apart two events of one payload
 * shape: a command that `emits: [OrderPlaced]` cannot return an `OrderCancelled` draft.
 */
export interface EventDefinition<P = unknown, out T extends string = string> {
  readonly kind: 'event';
  readonly type: T;
  readonly version: number;
  /** The topic follow-ups of this type go to; undefined means the emitting service's own topic. */
  readonly topic: string | undefined;
  readonly schema: z.ZodType<P>;
  keyOf(payload: P): string;
  /** Checks the payload against the schema (throws `EventSchemaError`, listing every problem) and wraps it as a draft. */
  of(payload: P): EventDraft<P, T>;
}

/** The payload type of an event definition. */
export type PayloadOf<D> = D extends EventDefinition<infer P, string> ? P : never;

/** The draft type of an event definition, or of a union of them (one draft type per definition). */
export type DraftOf<D> = D extends EventDefinition<infer P, infer T> ? EventDraft<P, T> : never;

/** Defines an event type. See {@link EventOptions}. */
export function defineEvent<S extends z.ZodType, const T extends string = string>(
  options: EventOptions<S, T>,
): EventDefinition<z.output<S>, T> {
  const problems: string[] = [];
  if (typeof options.type !== 'string' || !/^[A-Za-z0-9_.:-]+$/.test(options.type)) {
    problems.push('type must be a non-empty name of letters, digits, ".", "_", ":" or "-"');
  }
  // Duck-typed, not instanceof: the user's zod may be another copy than ours.
  if (!isZodSchema(options.schema)) problems.push('schema must be a zod schema');
  if (typeof options.key !== 'function') problems.push('key must be a function of the payload');
  const version = options.version ?? 1;
  if (!Number.isInteger(version) || version < 1) problems.push('version must be a positive integer');
  if (options.topic !== undefined && (typeof options.topic !== 'string' || options.topic.length === 0)) {
    problems.push('topic must be a non-empty string');
  }
  if (problems.length) throw new ConfigError(`event ${String(options.type)}`, problems);

  type P = z.output<S>;
  const definition: EventDefinition<P, T> = {
    kind: 'event',
    type: options.type,
    version,
    topic: options.topic,
    schema: options.schema as unknown as z.ZodType<P>,
    keyOf(payload: P): string {
      const key = options.key(payload);
      if (typeof key !== 'string' || key.length === 0) {
        throw new ConfigError(`event ${options.type}`, ['key() must return a non-empty string']);
      }
      return key;
    },
    of(payload: P): EventDraft<P, T> {
      // A converter that builds an invalid event is a bug in the command: a typed error naming every problem,
      // thrown before anything is produced.
      const parsed = options.schema.safeParse(payload);
      if (!parsed.success) throw new EventSchemaError(options.type, toIssues(parsed.error));
      return { definition, payload: parsed.data };
    },
  };
  return Object.freeze(definition);
}
