import { deadLetters, messageOf, type DeadLetters } from '@listen-to-yourself/core';
import { parseCli, USAGE, UsageError, type CliCommand, type CliTarget } from './args';
import { deadLetterJson, formatList, formatRelease, formatShow, formatStatus } from './format';

/** Where `lty` writes and what environment it reads: the process's own, or a test's. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Opens the dead letters of a target; tests pass their own. */
export type OpenDeadLetters = (target: CliTarget) => DeadLetters;

const openKafka: OpenDeadLetters = (t) =>
  deadLetters({
    kafka: { brokers: t.brokers, clientId: 'lty-cli', ...t.security },
    topic: t.topic,
    groupId: t.groupId,
    ...(t.dlqTopic ? { dlqTopic: t.dlqTopic } : {}),
    ...(t.readTimeoutMs ? { readTimeoutMs: t.readTimeoutMs } : {}),
    ...(t.redriveTopic ? { redriveTopic: t.redriveTopic } : {}),
  });

/** Runs `lty` with `argv` (no `node`, no script path) and resolves with its exit code: 0, 1 failed, 2 usage. */
export async function run(
  argv: readonly string[],
  io: CliIo,
  open: OpenDeadLetters = openKafka,
): Promise<number> {
  // Loaded on demand, so the other commands start without the AsyncAPI parser or the web server.
  if (argv[0] === 'catalog') return (await import('./catalog/command')).runCatalog(argv.slice(1), io);
  if (argv[0] === 'console') return (await import('./console/command')).runConsole(argv.slice(1), io);
  let invocation;
  try {
    invocation = parseCli(argv, io.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`lty: ${err.problems.join('\nlty: ')}\n\n${USAGE}\n`);
    return 2;
  }
  const { command, target, json } = invocation;
  if (command.kind === 'help' || !target) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const dlq = open(target);
  try {
    const out = await execute(command, dlq, target);
    if (out === undefined) {
      io.stderr(`lty: no outstanding dead letter with id ${(command as { id: string }).id}\n`);
      return 1;
    }
    io.stdout(`${json ? JSON.stringify(out.json, null, 2) : out.text}\n`);
    return 0;
  } catch (err) {
    io.stderr(`lty: ${messageOf(err)}\n`);
    return 1;
  } finally {
    await dlq.close().catch(() => undefined);
  }
}

async function execute(
  command: Exclude<CliCommand, { kind: 'help' }>,
  dlq: DeadLetters,
  target: CliTarget,
): Promise<{ text: string; json: unknown } | undefined> {
  switch (command.kind) {
    case 'list': {
      const list = await dlq.list({
        ...(command.key !== undefined ? { key: command.key } : {}),
        ...(command.reason !== undefined ? { reason: command.reason } : {}),
      });
      const where = `in ${target.dlqTopic ?? `${target.topic}.dlq`} for group ${target.groupId}`;
      return { text: formatList(list, where), json: list.map(deadLetterJson) };
    }
    case 'show': {
      const found = await dlq.show(command.id);
      return found && { text: formatShow(found), json: deadLetterJson(found) };
    }
    case 'redrive':
    case 'purge': {
      const result = await dlq[command.kind](command.selection);
      return { text: formatRelease(command.kind, result), json: result };
    }
    case 'status': {
      const status = await dlq.status();
      return { text: formatStatus(status), json: status };
    }
  }
}
