import { dlqTail, type DlqTail } from '../dlq/dlq-tail';
import { exponential } from '../retry/backoff';
import type { AnyHandler } from '../subscriber/handlers';
import { createParking } from '../subscriber/parking';
import { createBatchHandler, type WorkerDeps } from '../subscriber/partition-worker';
import { superviseGroup, type GroupSupervisor } from './group-supervisor';

/** What every group's batches share (a group's own id, routes and parking are added here). */
export type CommonDeps = Omit<WorkerDeps, 'groupId' | 'routes' | 'parking'>;

export interface SubscribersOptions {
  readonly common: CommonDeps;
  /** The self-subscriber: the service's own topic and group, and its `onOwnEvent` routes (may be empty). */
  readonly own: {
    readonly topic: string;
    readonly groupId: string;
    readonly routes: ReadonlyMap<string, AnyHandler>;
  };
  /** The `onEvent` groups, each on the topic it reads. */
  readonly others: ReadonlyMap<
    string,
    { readonly topic: string; readonly routes: ReadonlyMap<string, AnyHandler> }
  >;
  /** Longest wait between two attempts to join a group again. */
  readonly restartMaxDelayMs: number;
}

/** The service's consumer groups, joined in the background and kept joined. */
export interface Subscribers {
  readonly groups: readonly GroupSupervisor[];
  /** Starts joining every group; returns at once. */
  start(): void;
  /** Stops every group (in-flight batches finish) and the DLQ tail. */
  stop(): Promise<void>;
}

/**
 * One supervisor per group. The self-subscriber first starts the DLQ tail its key parking reads (once: the tail
 * keeps its index across restarts of the group), then joins.
 */
export function createSubscribers(options: SubscribersOptions): Subscribers {
  const { common, own, others } = options;
  const { transport, logger } = common;
  const maxDelayMs = options.restartMaxDelayMs;
  const backoff = exponential({ initialDelayMs: Math.min(500, maxDelayMs), maxDelayMs });
  const supervisors: GroupSupervisor[] = [];
  let tail: DlqTail | undefined;
  let tailStarted: Promise<void> | undefined;

  if (own.routes.size > 0) {
    const ownTail = dlqTail({
      transport,
      dlqTopic: common.dlqTopic(own.topic),
      groupId: own.groupId,
      logger,
    });
    tail = ownTail;
    const parking = createParking(ownTail);
    const eachBatch = createBatchHandler({ ...common, groupId: own.groupId, routes: own.routes, parking });
    supervisors.push(
      superviseGroup({
        groupId: own.groupId,
        topic: own.topic,
        logger,
        backoff,
        join: async (hooks) => {
          tailStarted ??= ownTail.start().catch((err: unknown) => {
            tailStarted = undefined;
            throw err;
          });
          await tailStarted;
          return transport.consume({
            groupId: own.groupId,
            topics: [own.topic],
            fromBeginning: true,
            eachBatch,
            ...hooks,
          });
        },
      }),
    );
  }
  for (const [groupId, { topic, routes }] of others) {
    const eachBatch = createBatchHandler({ ...common, groupId, routes });
    supervisors.push(
      superviseGroup({
        groupId,
        topic,
        logger,
        backoff,
        join: (hooks) =>
          transport.consume({ groupId, topics: [topic], fromBeginning: true, eachBatch, ...hooks }),
      }),
    );
  }

  return {
    groups: supervisors,
    start: () => supervisors.forEach((s) => s.start()),
    async stop() {
      await Promise.allSettled(supervisors.map((s) => s.stop()));
      await tailStarted?.catch(() => undefined);
      await tail?.stop();
    },
  };
}
