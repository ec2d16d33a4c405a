import { CommandValidationError, ConfigError } from '../errors/errors';
import { parseSchema } from '../errors/parse-schema';
import { toIssues } from '../errors/zod-issues';
import type { EventDefinition, EventDraft } from '../event/define-event';
import { uuidV5, uuidV7 } from '../ids/uuid';
import { commandFingerprint } from '../outcomes/fingerprint';
import type { CommandContext, CommandDefinition } from './define-command';
import { unstorableReason, unstorableStrings } from './storable-strings';

const storable = (text: string | undefined) => text === undefined || unstorableReason(text) === undefined;

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
 */
export async function prepareCommand<I, C>(
  service: string,
  command: CommandDefinition<I, C>,
  input: unknown,
  ctx: CommandContext,
  onFingerprint?: (fingerprint: string) => void,
): Promise<PreparedCommand> {
  const sendOptions = { idempotencyKey: ctx.idempotencyKey, correlationId: ctx.correlationId };
  const parsing = parseSchema(command.input, input);
  const parsed = parsing instanceof Promise ? await parsing : parsing;
  // Objects of the input found clean need no second look when the events carry them.
  const clean = new Set<object>();
  const issues = [
    ...(storable(sendOptions.idempotencyKey) && storable(sendOptions.correlationId)
      ? []
      : unstorableStrings(sendOptions, ['send()'])),
    ...(parsed.success ? unstorableStrings(parsed.data, [], clean) : toIssues(parsed.error)),
  ];
  if (!parsed.success || issues.length > 0) throw new CommandValidationError(command.name, issues);
  const fingerprint =
    ctx.idempotencyKey === undefined ? undefined : commandFingerprint(command.name, parsed.data);
  if (fingerprint !== undefined) onFingerprint?.(fingerprint);
  // Awaited only when there is something to wait for: every await costs a turn of the microtask queue.
  if (command.hasValidate) await command.validate(parsed.data, ctx);
  const converted = command.toEvents(parsed.data, ctx);
  const out: unknown = converted instanceof Promise ? await converted : converted;
  const drafts: readonly EventDraft[] = Array.isArray(out)
    ? (out as readonly EventDraft[])
    : [out as EventDraft];
  if (drafts.length === 0) {
    throw new ConfigError(`command ${command.name}`, ['toEvents() returned no event']);
  }
  const events = drafts.map((draft, index) => {
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
    return { id, index, key: definition.keyOf(draft.payload), payload: draft.payload, definition };
  });
  const eventIssues = events.flatMap((e) =>
    unstorableStrings({ key: e.key, payload: e.payload }, ['toEvents()', e.index], clean),
  );
  if (eventIssues.length > 0) throw new CommandValidationError(command.name, eventIssues);
  return { events, fingerprint };
}
