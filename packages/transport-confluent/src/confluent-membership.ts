import { TransportError } from '@listen-to-yourself/core';
import { type ConsumeOptions, type TopicPartition } from '@listen-to-yourself/core/transport-kit';

// librdkafka's rebalance event codes (rdkafka.h).
const ASSIGN = -175;
const REVOKE = -174;

/** What a consumer of this client reports to the framework about its group membership. */
export interface Membership {
  /** The consumer's `rebalance_cb`: tracks the assignment (incremental or eager alike). */
  readonly rebalanceCb: (err: { code?: number }, assignment: TopicPartition[]) => undefined;
  /** The consumer's KafkaJS-style logger: a fatal client error (a fenced static member) stops the consumer. */
  readonly logger: ClientLogger;
  /** Resolves at the first assignment, empty or not: the member has joined. */
  readonly joined: Promise<void>;
}

/** The logger shape the KafkaJS-compatible API calls. */
export interface ClientLogger {
  info(message: string, extra?: object): void;
  warn(message: string, extra?: object): void;
  error(message: string, extra?: object): void;
  debug(message: string, extra?: object): void;
  namespace(): ClientLogger;
  setLogLevel(level: number): void;
}

/**
 * Watches one consumer's membership: its assignment for `onAssignment`, its first assignment for `joined`, a
 * revocation for `onRevoke` (told before the partitions go), and its errors for a fatal one, which `onFatal` receives once as a non-retriable TransportError (a fatal consumer
 * never consumes again, and a fenced static member restarted would fence its successor in turn).
 */
export function watchMembership(
  options: Pick<ConsumeOptions, 'onAssignment'>,
  onFatal: (err: TransportError) => void,
  onRevoke: () => void = () => undefined,
): Membership {
  const owned = new Map<string, TopicPartition>();
  let markJoined!: () => void;
  const joined = new Promise<void>((resolve) => (markJoined = resolve));
  let fatal = false;
  const noop = () => undefined;
  const logger: ClientLogger = {
    info: noop,
    warn: noop,
    debug: noop,
    error(message) {
      // The client reports every error only as a log line; librdkafka words fatal ones so.
      if (fatal || !/fatal/i.test(message)) return;
      fatal = true;
      onFatal(new TransportError(`consumer: ${message}`, { retriable: false }));
    },
    namespace: () => logger,
    setLogLevel: noop,
  };
  return {
    logger,
    joined,
    rebalanceCb(err, assignment) {
      const key = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;
      if (err.code === ASSIGN) for (const tp of assignment) owned.set(key(tp), tp);
      else if (err.code === REVOKE) {
        onRevoke();
        for (const tp of assignment) owned.delete(key(tp));
      } else return undefined;
      options.onAssignment?.([...owned.values()].map(({ topic, partition }) => ({ topic, partition })));
      if (err.code === ASSIGN) markJoined();
      return undefined;
    },
  };
}
