import type { CommandContext, CommandDefinition, CommandInput } from '../command/define-command';
import { prepareCommand } from '../command/prepare-command';
import { ConfigError } from '../errors/errors';
import { uuidV4 } from '../ids/uuid';
import type { IdempotencyLedger } from '../outcomes/idempotency-ledger';
import { sendCheck } from '../outcomes/send-check';
import { encodeEvents } from './encode-events';
import type { Lifecycle } from './lifecycle-state';
import type { Produce } from './produce';
import { receiptOf } from './receipt';
import type { ResolvedService } from './resolve-options';
import type { Receipt, SendOptions } from './service-types';
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
  /** The sends under way. */
  readonly inFlight: { readonly size: number };
  /** Resolves once no send is under way (at once when none is); a send's failure does not reject it. */
  settled(): Promise<void>;
  /** The own topic's partition count, known once `start()` looked it up; sends are refused before. */
  open(partitionCount: number): void;
}

const NO_OPTIONS: SendOptions = Object.freeze({});

/** A refusal found before the send began, reported as `send()` reports every failure: as a rejection. */
const rejected = async (err: unknown): Promise<never> => {
  throw err;
};

export function commandSender(deps: {
  readonly service: ResolvedService;
  readonly lifecycle: Lifecycle;
  readonly ledger: IdempotencyLedger | undefined;
  readonly read: CommandContext['read'];
  readonly produce: Produce;
  readonly telemetry: Pick<ServiceTelemetry, 'send'>;
}): Sender {
  const { name, topic, codec, commands, settings } = deps.service;
  let partitionCount = 0;

  const checkOptions = { readStore: settings.idempotencyReadOnSend };

  async function produceCommand(
    command: CommandDefinition,
    input: unknown,
    options: SendOptions,
  ): Promise<Receipt> {
    const { idempotencyKey } = options;
    const correlationId = options.correlationId ?? uuidV4();
    const ctx: CommandContext = { read: deps.read, idempotencyKey, correlationId };
    const check = sendCheck(deps.ledger, idempotencyKey, checkOptions);
    // Each step gives a promise only when it has to wait: a command whose steps are all at once (the common
    // case) waits only for its produce.
    const preparing = prepareCommand(name, command, input, ctx, check.onFingerprint);
    const { events, fingerprint } = preparing instanceof Promise ? await preparing : preparing;
    const encoding = encodeEvents(codec, topic, partitionCount, events, {
      service: name,
      command: command.name,
      idempotencyKey,
      inputFingerprint: fingerprint,
      correlationId,
    });
    const records = encoding instanceof Promise ? await encoding : encoding;
    const verifying = check.verify();
    if (verifying) await verifying;
    return receiptOf(events, await deps.produce(records));
  }

  // A count and the waiters of `settled()`, not a set of promises: nothing to add and delete per send.
  let pending = 0;
  let waiters: (() => void)[] = [];
  const settle = () => {
    if (--pending > 0 || waiters.length === 0) return;
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  const inFlight = {
    get size() {
      return pending;
    },
  };

  // The input is parsed by the command's schema in either case: a typed send is only a compile-time help.
  function send(
    command: CommandDefinition,
    input: unknown,
    options: SendOptions = NO_OPTIONS,
  ): Promise<Receipt> {
    let task: Promise<Receipt>;
    try {
      deps.lifecycle.assertRunning(name, `send ${command.name}`);
      if (!commands.includes(command)) {
        throw new ConfigError('send', [`command ${command.name} is not registered with service ${name}`]);
      }
      task = deps.telemetry.send(command.name, () => produceCommand(command, input, options));
    } catch (err) {
      return rejected(err);
    }
    pending++;
    task.then(settle, settle);
    return task;
  }

  return {
    inFlight,
    settled: () => (pending === 0 ? Promise.resolve() : new Promise<void>((wake) => waiters.push(wake))),
    open: (count) => void (partitionCount = count),
    send,
    sendUntrusted: send,
  };
}
