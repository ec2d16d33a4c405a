import { parseArgs } from 'node:util';
import { subscriptionTopics } from '@listen-to-yourself/core';
import type { DeadLetterReason, DeadLetterSelection } from '@listen-to-yourself/core';
import { z } from 'zod';
import { SECURITY_USAGE, kafkaSecurity, securityOptions, type KafkaSecurity } from './security';

/** What `lty` was asked to do. */
export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'list'; readonly key?: string; readonly reason?: DeadLetterReason }
  | { readonly kind: 'show'; readonly id: string }
  | { readonly kind: 'redrive' | 'purge'; readonly selection: DeadLetterSelection }
  | { readonly kind: 'status' };

/** Which service's dead letters: its brokers, topic and consumer group. */
export interface CliTarget {
  readonly brokers: string[];
  readonly topic: string;
  readonly groupId: string;
  readonly dlqTopic: string | undefined;
  /** Longest a read of the dead-letter topic may take; undefined for the API's default. */
  readonly readTimeoutMs: number | undefined;
  /** TLS and SASL for the brokers. */
  readonly security: KafkaSecurity;
  /** Set for a subscription to another service's topic: where a redrive produces (see `subscriptionTopics`). */
  readonly redriveTopic?: string;
}

export interface CliInvocation {
  readonly command: CliCommand;
  /** Undefined for `help`. */
  readonly target: CliTarget | undefined;
  readonly json: boolean;
}

/** A command line `lty` cannot run; the message lists every problem. Exit code 2. */
export class UsageError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage:
  lty dlq list [--key K] [--reason R]       outstanding dead letters, one per event, in order
  lty dlq show <id>                          one dead letter with its error, headers and value
  lty dlq redrive --all | --key K | --event-id ID
                                             produce a key's dead letters again, in order, and release it
  lty dlq purge --all | --key K | --event-id ID
                                             release without producing again (--event-id drops that event
                                             and redrives the events of its key that waited behind it)
  lty status                                 committed offset and lag per partition, dead-letter counts
  lty catalog FILE...                        the system view of services' AsyncAPI documents (lty catalog -h)
  lty console                                a web page for operators (lty console -h)

Options:
  --brokers HOST:PORT[,...]   Kafka brokers (env KAFKA_BROKERS)
  --service NAME              shorthand for --topic NAME.events --group NAME.self
  --topic TOPIC               the service's topic (env LTY_TOPIC)
  --group GROUP               its self-subscriber group (env LTY_GROUP; default <name>.self for <name>.events)
  --dlq-topic TOPIC           default <topic>.dlq
  --read-timeout-ms MS        longest a read of the dead-letter topic may take (default 30000)
  --subscriber NAME           a subscription of service NAME to another service's topic: give the publisher's
                              --topic and the subscription's --group; its DLQ is NAME.GROUP.dlq and a redrive
                              goes to NAME.GROUP.redrive (the group alone when it starts with NAME.)
  --json                      machine-readable output
  -h, --help

${SECURITY_USAGE}`;

const REASONS = ['decode', 'schema', 'handler', 'non-retryable', 'parked'] as const;

const options = {
  brokers: { type: 'string' },
  service: { type: 'string' },
  topic: { type: 'string' },
  group: { type: 'string' },
  'dlq-topic': { type: 'string' },
  'read-timeout-ms': { type: 'string' },
  subscriber: { type: 'string' },
  key: { type: 'string' },
  reason: { type: 'string' },
  'event-id': { type: 'string' },
  all: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...securityOptions,
} as const;

const targetSchema = z.object({
  brokers: z.array(z.string().regex(/^[^\s:]+:\d+$/, 'brokers: give HOST:PORT[,HOST:PORT...]')).min(1),
  topic: z.string().min(1),
  groupId: z.string().min(1),
  dlqTopic: z.string().min(1).optional(),
  readTimeoutMs: z
    .number({ message: '--read-timeout-ms: give a whole number of milliseconds' })
    .int('--read-timeout-ms: give a whole number of milliseconds')
    .positive('--read-timeout-ms: give a whole number of milliseconds')
    .optional(),
  redriveTopic: z.string().min(1).optional(),
});

/** Parses `lty`'s arguments (without `node` and the script), with environment fallbacks. Throws UsageError. */
export function parseCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliInvocation {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError([(err as Error).message]);
  }
  const { values: v, positionals } = parsed;
  const json = v.json === true;
  if (v.help || positionals.length === 0) return { command: { kind: 'help' }, target: undefined, json };
  const problems: string[] = [];
  const command = toCommand(positionals, v, problems);
  const service = v.service;
  const topic = v.topic ?? (service ? `${service}.events` : undefined) ?? env.LTY_TOPIC;
  const subscriber = v.subscriber;
  const derivedGroup =
    !subscriber && topic?.endsWith('.events') ? `${topic.slice(0, -'.events'.length)}.self` : undefined;
  if (subscriber && service) problems.push('give --service or --subscriber, not both');
  const groupId = v.group ?? (service ? `${service}.self` : undefined) ?? env.LTY_GROUP ?? derivedGroup ?? '';
  const owned = subscriber && groupId ? subscriptionTopics(subscriber, groupId) : undefined;
  const target = {
    brokers: (v.brokers ?? env.KAFKA_BROKERS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    topic: topic ?? '',
    groupId,
    dlqTopic: v['dlq-topic'] ?? owned?.dlqTopic,
    readTimeoutMs: v['read-timeout-ms'] === undefined ? undefined : Number(v['read-timeout-ms']),
    security: kafkaSecurity(v, env, problems),
    ...(owned ? { redriveTopic: owned.redriveTopic } : {}),
  };
  const checked = targetSchema.safeParse(target);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const field = String(issue.path[0]);
      problems.push(
        field === 'brokers' && target.brokers.length === 0
          ? 'give --brokers or set KAFKA_BROKERS'
          : field === 'topic'
            ? 'give --topic, --service or set LTY_TOPIC'
            : field === 'groupId'
              ? 'give --group, --service or set LTY_GROUP'
              : issue.message,
      );
    }
  }
  if (problems.length > 0 || !command) throw new UsageError([...new Set(problems)]);
  return { command, target, json };
}

/** The parsed options a command reads. */
interface Values {
  key?: string;
  reason?: string;
  'event-id'?: string;
  all?: boolean;
}

function toCommand(positionals: string[], v: Values, problems: string[]): CliCommand | undefined {
  const [group, action, ...rest] = positionals;
  if (group === 'status' && positionals.length === 1) return { kind: 'status' };
  if (group !== 'dlq' || !action) {
    problems.push(`unknown command: ${positionals.join(' ')} (try lty --help)`);
    return undefined;
  }
  if (action === 'list' && rest.length === 0) {
    if (v.reason !== undefined && !(REASONS as readonly string[]).includes(v.reason)) {
      problems.push(`--reason must be one of ${REASONS.join(', ')}`);
      return undefined;
    }
    return {
      kind: 'list',
      ...(v.key !== undefined ? { key: v.key } : {}),
      ...(v.reason !== undefined ? { reason: v.reason as DeadLetterReason } : {}),
    };
  }
  if (action === 'show') {
    if (rest.length !== 1) problems.push('lty dlq show takes one id');
    return rest.length === 1 ? { kind: 'show', id: rest[0]! } : undefined;
  }
  if ((action === 'redrive' || action === 'purge') && rest.length === 0) {
    const picked = [v.all ? 'all' : undefined, v.key, v['event-id']].filter((x) => x !== undefined);
    if (picked.length !== 1) {
      problems.push(`lty dlq ${action} takes exactly one of --all, --key K or --event-id ID`);
      return undefined;
    }
    const selection: DeadLetterSelection = v.all
      ? { all: true }
      : v.key !== undefined
        ? { key: v.key }
        : { eventId: v['event-id']! };
    return { kind: action, selection };
  }
  problems.push(`unknown command: ${positionals.join(' ')} (try lty --help)`);
  return undefined;
}
