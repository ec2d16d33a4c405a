import type { z } from 'zod';
import { ConfigError } from '../errors/errors';
import { parseSchema } from '../errors/parse-schema';
import type { EventDefinition, EventDraft } from '../event/define-event';
import { uuidV5, uuidV7 } from '../ids/uuid';
import { commandFingerprint } from '../outcomes/fingerprint';
import type { CommandContext, CommandDefinition } from './define-command';
import { assertStorableEvents, assertValidInput } from './command-issues';

/** An event ready to encode: its id, key, payload and definition. */
export interface PreparedEvent {
  readonly id: string;
  readonly index: number;
  readonly key: string;
  readonly payload: unknown;
  readonly definition: EventDefinition;
}

/** A command ready to encode: its events and, with an idempotency key, the fingerprint of its input. */
export interface PreparedCommand {
  readonly events: PreparedEvent[];
  readonly fingerprint: string | undefined;
}

/**
 * Runs a command up to, but not including, the first write: parses the input, runs `validate()`, converts to
 * events and gives each its id. With an idempotency key, ids are deterministic (UUID v5 of service, command,
 * idempotency key, input fingerprint and index), so a retried command yields the same ids and a key reused with
 * other input yields other ones (the ledger then tells the conflict); UUID v7 otherwise. `onFingerprint` runs
 * right after parsing, before `validate()`.
 *
 * A string no store or Kafka can keep (see `unstorableReason`) fails the command with CommandValidationError
 * before anything is produced: in the send options (path `send()`), in the parsed input, and in the events'
 * keys and payloads (path `toEvents()`, index, `key` or `payload`).
 *
 * The result comes at once, not as a promise, when nothing on the way is asynchronous (a synchronous schema,
 * `validate()` and `toEvents()`); a failure then throws rather than rejects.
 */
export function prepareCommand<I, C>(
  service: string,
  command: CommandDefinition<I, C>,
  input: unknown,
  ctx: CommandContext,
  onFingerprint?: (fingerprint: string) => void,
): PreparedCommand | Promise<PreparedCommand> {
  const parsing = parseSchema(command.input, input);
  // A promise only where there is something to wait for: every await costs a turn of the microtask queue.
  return parsing instanceof Promise
    ? parsing.then((parsed) => validated(service, command, parsed, ctx, onFingerprint))
    : validated(service, command, parsing, ctx, onFingerprint);
}

/** A command past its input checks, on its way to events. */
interface Run<C> {
  readonly service: string;
  readonly command: CommandDefinition<unknown, C>;
  readonly ctx: CommandContext;
  readonly data: C;
  readonly fingerprint: string | undefined;
}

function validated<I, C>(
  service: string,
  command: CommandDefinition<I, C>,
  parsed: z.ZodSafeParseResult<C>,
  ctx: CommandContext,
  onFingerprint: ((fingerprint: string) => void) | undefined,
): PreparedCommand | Promise<PreparedCommand> {
  assertValidInput(command.name, ctx, parsed);
  const data = (parsed as z.ZodSafeParseSuccess<C>).data;
  const fingerprint = ctx.idempotencyKey === undefined ? undefined : commandFingerprint(command.name, data);
  if (fingerprint !== undefined) onFingerprint?.(fingerprint);
  const run: Run<C> = { service, command: command, ctx, data, fingerprint };
  const validating = command.hasValidate ? command.validate(data, ctx) : undefined;
  return isThenable(validating) ? Promise.resolve(validating).then(() => converted(run)) : converted(run);
}

function converted<C>(run: Run<C>): PreparedCommand | Promise<PreparedCommand> {
  const out = run.command.toEvents(run.data, run.ctx);
  return out instanceof Promise ? out.then((drafts) => prepared(run, drafts)) : prepared(run, out);
}

function prepared<C>(
  { service, command, ctx, data, fingerprint }: Run<C>,
  out: EventDraft | readonly EventDraft[],
): PreparedCommand {
  const drafts: readonly EventDraft[] = Array.isArray(out)
    ? (out as readonly EventDraft[])
    : [out as EventDraft];
  if (drafts.length === 0) {
    throw new ConfigError(`command ${command.name}`, ['toEvents() returned no event']);
  }
  const events: PreparedEvent[] = [];
  for (let index = 0; index < drafts.length; index++) {
    const draft = drafts[index]!;
    const definition = (draft as { definition?: EventDefinition }).definition;
    if (!definition || definition.kind !== 'event') {
      throw new ConfigError(`command ${command.name}`, [
        `toEvents() item ${index} is not an event draft: make it with EventDefinition.of()`,
      ]);
    }
    if (command.emits && !command.emits.some((d) => d.type === definition.type)) {
      throw new ConfigError(`command ${command.name}`, [
        `toEvents() item ${index} is a ${definition.type}, which the command's emits does not list`,
      ]);
    }
    const id =
      ctx.idempotencyKey === undefined
        ? uuidV7()
        : uuidV5(
            `${service}\u0000${command.name}\u0000${ctx.idempotencyKey}\u0000${fingerprint}\u0000${index}`,
          );
    events.push({ id, index, key: definition.keyOf(draft.payload), payload: draft.payload, definition });
  }
  assertStorableEvents(command.name, data, events);
  return { events, fingerprint };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
