import { messageOf } from '../errors/errors';
import { isLtyError } from '../errors/lty-error';
import type { Backoff } from '../retry/backoff';
import type { ConsumeOptions, Consumption } from '../transport/transport';
import type { GroupHealth, GroupState, LastError } from './health-types';
import type { Logger } from './logger';

/** The hooks a supervised consumer reports through; the supervisor passes them to `transport.consume()`. */
export type ConsumeHooks = Required<Pick<ConsumeOptions, 'onCrash' | 'onAssignment' | 'onRetry'>>;

/** One consumer group kept running in the background: joined, watched, restarted after a crash. */
export interface GroupSupervisor {
  /** Starts joining in the background; returns at once. */
  start(): void;
  /** What the group is doing now (without lag: that needs the broker). */
  snapshot(): Omit<GroupHealth, 'lag'>;
  /** Stops retrying and stops the consumer, letting its in-flight batch finish. Idempotent. */
  stop(): Promise<void>;
}

export interface GroupSupervisorOptions {
  readonly groupId: string;
  readonly topic: string;
  readonly logger: Logger;
  /** Delay before the n-th consecutive attempt to join again. */
  readonly backoff: Backoff;
  /** Joins the group (resolves once joined); the hooks must reach `transport.consume()`. */
  readonly join: (hooks: ConsumeHooks) => Promise<Consumption>;
}

/**
 * Joins a group without blocking the caller and keeps it joined: a failed join or a crash is logged, shown in
 * the snapshot and tried again with backoff, unless the error says a restart cannot help or would do harm
 * (`retriable: false`): then the group stays `crashed` for an operator to look at.
 */
export function superviseGroup(options: GroupSupervisorOptions): GroupSupervisor {
  const { groupId, topic, logger } = options;
  let state: GroupState = 'joining';
  let partitions: number[] = [];
  let lastError: LastError | undefined;
  let restarts = 0;
  let failures = 0;
  let stopped = false;
  let started = false;
  let current: Consumption | undefined;
  let timer: NodeJS.Timeout | undefined;

  const record = (err: unknown): void => {
    lastError = { message: messageOf(err), at: new Date().toISOString(), ...codeOf(err) };
  };

  function retryLater(err: unknown, what: string): void {
    record(err);
    if (stopped) return;
    if (isLtyError(err) && !err.retriable) {
      state = 'crashed';
      logger.error(`consumer group ${what}; not restarted: ${lastError!.message}`, { groupId, topic });
      return;
    }
    state = 'retrying';
    const delayMs = options.backoff(++failures);
    logger.error(`consumer group ${what}; joining again in ${delayMs} ms`, {
      groupId,
      topic,
      error: lastError!.message,
    });
    timer = setTimeout(() => void attempt(), delayMs);
  }

  async function attempt(): Promise<void> {
    timer = undefined;
    if (stopped) return;
    state = 'joining';
    partitions = [];
    let crashed = false;
    const hooks: ConsumeHooks = {
      onAssignment: (assigned) => {
        if (crashed || stopped) return;
        partitions = assigned.filter((p) => p.topic === topic).map((p) => p.partition);
        state = 'running';
      },
      onRetry: (err, delayMs) => {
        if (crashed || stopped) return;
        record(err);
        state = 'retrying';
        partitions = [];
        logger.warn(`consumer group rejoins in ${delayMs} ms`, { groupId, topic, error: lastError!.message });
      },
      onCrash: (err) => {
        if (crashed) return;
        crashed = true;
        partitions = [];
        const was = current;
        current = undefined;
        restarts++;
        void was?.stop();
        retryLater(err, 'crashed');
      },
    };
    try {
      const consumption = await options.join(hooks);
      // Crashed while joining: the client has left, the handle still holds its resources.
      if (stopped || crashed) return await consumption.stop();
      current = consumption;
      // A client that restarts by itself may resolve without having joined (it said so through onRetry).
      if (state === 'joining') state = 'running';
      failures = 0;
    } catch (err) {
      if (!crashed) retryLater(err, 'could not join');
    }
  }

  return {
    start() {
      if (started || stopped) return;
      started = true;
      void attempt();
    },
    snapshot: () => ({
      groupId,
      topic,
      state: stopped ? 'stopped' : state,
      partitions: [...partitions].sort((a, b) => a - b),
      restarts,
      ...(lastError ? { lastError } : {}),
    }),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      // A join still under way is not waited for: it stops its consumer once it resolves (see attempt()).
      const was = current;
      current = undefined;
      await was?.stop();
    },
  };
}

function codeOf(err: unknown): { code?: string } {
  return isLtyError(err) ? { code: err.code } : {};
}
