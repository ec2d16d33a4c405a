import type { z } from 'zod';
import { ConfigError } from '../errors/errors';
import { isZodSchema } from '../errors/zod-issues';
import type { DraftOf, EventDefinition, EventDraft } from '../event/define-event';
import type { EntityReader } from '../service/service-types';

/** What `validate()` and `toEvents()` may use: reads only, never writes. */
export interface CommandContext {
  /**
   * Reads an entity's current state from the service's store (may be behind by the events not yet applied).
   * Rejects with InvalidEntityRefError, without asking the store, for a type or id no store can hold.
   */
  read: EntityReader;
  /** The idempotency key given to `send()`, if any. */
  readonly idempotencyKey: string | undefined;
  readonly correlationId: string;
}

/** What `toEvents()` returns: one draft or several, at once or as a promise. */
export type ToEventsResult<Draft> = Draft | readonly Draft[] | Promise<Draft | readonly Draft[]>;

/** The options of {@link defineCommand}. */
export interface CommandOptions<
  S extends z.ZodType,
  E extends readonly EventDefinition[] = readonly EventDefinition[],
> {
  /** The command's name, sent in the `lty-command` header and used in deterministic event ids. */
  name: string;
  /**
   * The input schema. Parsed first: every problem is reported in one `CommandValidationError`. A string that no
   * store or Kafka can keep (U+0000, a lone surrogate) is a problem too, wherever it is in the parsed input.
   */
  input: S;
  /**
   * Optional business checks with read-only access. Throw `CommandRejectedError` to refuse the command;
   * nothing is produced. @defaultValue none (no check beyond the input schema)
   */
  validate?: (command: z.output<S>, ctx: CommandContext) => void | Promise<void>;
  /**
   * The event types the command may produce. `toEvents()` is typed by it (a draft of another event does not
   * compile) and checked at send too: a draft of another event fails the send with a ConfigError, nothing produced.
   * @defaultValue any event: no check
   */
  emits?: E;
  /** The command-to-event converter: one event or several, produced together; drafts of `emits` only. */
  toEvents: (command: z.output<S>, ctx: CommandContext) => ToEventsResult<DraftOf<NoInfer<E>[number]>>;
}

/** A named command type; pass it to `service.send()`. */
export interface CommandDefinition<I = unknown, C = unknown> {
  readonly kind: 'command';
  readonly name: string;
  readonly input: z.ZodType<C, I>;
  readonly hasValidate: boolean;
  /** The event types `toEvents()` may return drafts of; undefined when the command does not say. */
  readonly emits: readonly EventDefinition[] | undefined;
  validate(command: C, ctx: CommandContext): void | Promise<void>;
  toEvents(
    command: C,
    ctx: CommandContext,
  ): EventDraft | readonly EventDraft[] | Promise<EventDraft | readonly EventDraft[]>;
}

/** The input type `send()` accepts for a command definition. */
export type CommandInput<D> = D extends CommandDefinition<infer I, unknown> ? I : never;

/** Defines a command. See {@link CommandOptions}. */
export function defineCommand<
  S extends z.ZodType,
  const E extends readonly EventDefinition[] = readonly EventDefinition[],
>(options: CommandOptions<S, E>): CommandDefinition<z.input<S>, z.output<S>> {
  const problems: string[] = [];
  if (typeof options.name !== 'string' || !/^[A-Za-z0-9_.:-]+$/.test(options.name)) {
    problems.push('name must be a non-empty name of letters, digits, ".", "_", ":" or "-"');
  }
  // Duck-typed, not instanceof: the user's zod may be another copy than ours.
  if (!isZodSchema(options.input)) problems.push('input must be a zod schema');
  if (options.validate !== undefined && typeof options.validate !== 'function') {
    problems.push('validate must be a function');
  }
  if (typeof options.toEvents !== 'function') problems.push('toEvents must be a function');
  if (
    options.emits !== undefined &&
    (!Array.isArray(options.emits) || options.emits.some((d) => (d as { kind?: unknown })?.kind !== 'event'))
  ) {
    problems.push('emits must be a list of event definitions');
  }
  if (problems.length) throw new ConfigError(`command ${String(options.name)}`, problems);
  return Object.freeze({
    kind: 'command',
    name: options.name,
    input: options.input as unknown as z.ZodType<z.output<S>, z.input<S>>,
    hasValidate: options.validate !== undefined,
    emits: options.emits,
    validate: (command: z.output<S>, ctx: CommandContext) => options.validate?.(command, ctx),
    toEvents: options.toEvents,
  });
}
