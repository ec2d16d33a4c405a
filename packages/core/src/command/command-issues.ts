import type { z } from 'zod';
import { CommandValidationError } from '../errors/errors';
import { toIssues } from '../errors/zod-issues';
import type { CommandContext } from './define-command';
import type { PreparedEvent } from './prepare-command';
import { surelyStorable, unstorableReason, unstorableStrings } from './storable-strings';

const storable = (text: string | undefined) => text === undefined || unstorableReason(text) === undefined;

/**
 * Throws CommandValidationError with every problem of the send options and the parsed input: the schema's
 * issues, or strings no store or Kafka can keep (path `send()` for the options). A clean command (the common
 * case) is told by a walk that allocates nothing; the issues, with their paths, are looked for only when that walk
 * is not sure.
 */
export function assertValidInput(
  command: string,
  ctx: CommandContext,
  parsed: z.ZodSafeParseResult<unknown>,
): void {
  if (
    parsed.success &&
    storable(ctx.idempotencyKey) &&
    storable(ctx.correlationId) &&
    surelyStorable(parsed.data)
  ) {
    return;
  }
  const sendOptions = { idempotencyKey: ctx.idempotencyKey, correlationId: ctx.correlationId };
  const issues = [
    ...(storable(sendOptions.idempotencyKey) && storable(sendOptions.correlationId)
      ? []
      : unstorableStrings(sendOptions, ['send()'])),
    ...(parsed.success ? unstorableStrings(parsed.data) : toIssues(parsed.error)),
  ];
  if (!parsed.success || issues.length > 0) throw new CommandValidationError(command, issues);
}

/**
 * Throws CommandValidationError with every string of the events' keys and payloads that no store or Kafka can
 * keep (path `toEvents()`, index, `key` or `payload`). `input` is the command's parsed input, known clean.
 */
export function assertStorableEvents(
  command: string,
  input: unknown,
  events: readonly PreparedEvent[],
): void {
  if (events.every((e) => storable(e.key) && surelyStorable(e.payload))) return;
  // Objects of the input, found clean, need no second look when the events carry them.
  const clean = new Set<object>();
  unstorableStrings(input, [], clean);
  const issues = events.flatMap((e) =>
    unstorableStrings({ key: e.key, payload: e.payload }, ['toEvents()', e.index], clean),
  );
  if (issues.length > 0) throw new CommandValidationError(command, issues);
}
