import { randomUUID } from 'node:crypto';
import type { CommandContext, CommandDefinition, CommandInput } from '../command/define-command';
import { prepareCommand } from '../command/prepare-command';
import { ConfigError } from '../errors/errors';
import type { IdempotencyLedger } from '../outcomes/idempotency-ledger';
import { sendCheck } from '../outcomes/send-check';
import { encodeEvents } from './encode-events';
import type { Lifecycle } from './lifecycle-state';
import type { Produce } from './produce';
import type { ResolvedService } from './resolve-options';
import type { Receipt, SendOptions } from './service-types';
import { encodeToken } from './token';
import type { ServiceTelemetry } from '../telemetry/index';

/** The command path: `send()`, and the sends in flight that `stop()` waits for. */
export interface Sender {
  send<D extends CommandDefinition>(
    command: D,
    input: CommandInput<D>,
    options?: SendOptions,
  ): Promise<Receipt>;
  /** `send()` with input of unknown shape: the command's schema parses it as for any send. */
  sendUntrusted(command: CommandDefinition, input: unknown, options?: SendOptions): Promise<Receipt>;
  readonly inFlight: ReadonlySet<Promise<unknown>>;
  /** The own topic's partition count, known once `start()` looked it up; sends are refused before. */
  open(partitionCount: number): void;
}

export function commandSender(deps: {
  readonly service: ResolvedService;
  readonly lifecycle: Lifecycle;
  readonly ledger: IdempotencyLedger | undefined;
  readonly read: CommandContext['read'];
  readonly produce: Produce;
  readonly telemetry: Pick<ServiceTelemetry, 'send'>;
}): Sender {
  const { name, topic, codec, commands, settings } = deps.service;
  const inFlight = new Set<Promise<unknown>>();
  let partitionCount = 0;

  async function produceCommand(command: CommandDefinition, input: unknown, options: SendOptions) {
    const { idempotencyKey } = options;
    const correlationId = options.correlationId ?? randomUUID();
    const ctx: CommandContext = { read: deps.read, idempotencyKey, correlationId };
    const check = sendCheck(deps.ledger, idempotencyKey, { readStore: settings.idempotencyReadOnSend });
    const { events, fingerprint } = await prepareCommand(name, command, input, ctx, check.onFingerprint);
    const records = await encodeEvents(codec, topic, partitionCount, events, {
      service: name,
      command: command.name,
      idempotencyKey,
      inputFingerprint: fingerprint,
      correlationId,
    });
    await check.verify();
    const positions = await deps.produce(records);
    const token = encodeToken(
      events.map((e, i) => ({
        position: positions[i]!,
        key: e.key,
        type: e.definition.type,
        eventId: e.id,
      })),
    );
    return { eventIds: events.map((e) => e.id), positions, token };
  }

  // The input is parsed by the command's schema in either case: a typed send is only a compile-time help.
  async function send(
    command: CommandDefinition,
    input: unknown,
    options: SendOptions = {},
  ): Promise<Receipt> {
    deps.lifecycle.assertRunning(name, `send ${command.name}`);
    if (!commands.includes(command)) {
      throw new ConfigError('send', [`command ${command.name} is not registered with service ${name}`]);
    }
    const task = deps.telemetry.send(command.name, () => produceCommand(command, input, options));
    inFlight.add(task);
    try {
      return await task;
    } finally {
      inFlight.delete(task);
    }
  }

  return { inFlight, open: (count) => void (partitionCount = count), send, sendUntrusted: send };
}
