import { dlqTail, type DlqTail } from '../dlq/dlq-tail';
import { exponential } from '../retry/backoff';
import type { AnyHandler } from '../subscriber/handlers';
import { createParking } from '../subscriber/parking';
import { createBatchHandler, type WorkerDeps } from '../subscriber/partition-worker';
import { awaitForeignTopic, startOnce } from './foreign-join';
import type { IdempotencyLedger } from '../outcomes/idempotency-ledger';
import { superviseGroup, type GroupSupervisor } from './group-supervisor';
import type { SubscriptionPlan } from './topic-plan';

/** What every group's batches share (a group's own id, routes and parking are added here). */
export type CommonDeps = Omit<WorkerDeps, 'groupId' | 'routes' | 'parking'>;

export interface SubscribersOptions {
  readonly common: CommonDeps;
  /** The self-subscriber: the service's own topic and group, and its `onOwnEvent` routes (may be empty). */
  readonly own: {
    readonly topic: string;
    readonly groupId: string;
    readonly routes: ReadonlyMap<string, AnyHandler>;
    /** Checked before own events are applied: one idempotency key, one command. */
    readonly ledger?: IdempotencyLedger;
    /** Starts (once) and returns the service's DLQ tail, which key parking and token outcomes read. */
    readonly tail: () => Promise<DlqTail | undefined>;
  };
  /** The `onEvent` groups, each on the topic it reads (see `planTopics`). */
  readonly subscriptions: readonly SubscriptionPlan[];
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
 * keeps its index across restarts of the group), then joins. A subscription to another service's topic waits for
 * that topic (never creating it), then tails its own DLQ and reads the topic and its own redrive topic.
 */
export function createSubscribers(options: SubscribersOptions): Subscribers {
  const { common, own, subscriptions } = options;
  const { transport, logger } = common;
  const maxDelayMs = options.restartMaxDelayMs;
  const backoff = exponential({ initialDelayMs: Math.min(500, maxDelayMs), maxDelayMs });
  const supervisors: GroupSupervisor[] = [];
  const tails: DlqTail[] = [];
  let stopping = false;

  if (own.routes.size > 0) {
    // Parking keeps what it handled per tail: one batch handler per tail the service hands out.
    let handler: { tail: DlqTail; eachBatch: ReturnType<typeof createBatchHandler> } | undefined;
    const batchHandlerOf = (tail: DlqTail) => {
      if (handler?.tail !== tail) {
        const parking = createParking(tail);
        const deps = { ...common, groupId: own.groupId, routes: own.routes, parking };
        handler = {
          tail,
          eachBatch: createBatchHandler(own.ledger ? { ...deps, ledger: own.ledger } : deps),
        };
      }
      return handler.eachBatch;
    };
    supervisors.push(
      superviseGroup({
        groupId: own.groupId,
        topic: own.topic,
        logger,
        backoff,
        join: async (hooks) => {
          const tail = await own.tail();
          if (!tail) return { stop: async () => undefined };
          return transport.consume({
            groupId: own.groupId,
            topics: [own.topic],
            fromBeginning: true,
            eachBatch: batchHandlerOf(tail),
            ...hooks,
          });
        },
      }),
    );
  }
  for (const plan of subscriptions) {
    const { group: groupId, topic, routes, foreign } = plan;
    if (!foreign) {
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
      continue;
    }
    const tail = dlqTail({ transport, dlqTopic: foreign.dlqTopic, groupId, logger });
    tails.push(tail);
    const startTail = startOnce(tail);
    const eachBatch = createBatchHandler({
      ...common,
      groupId,
      routes,
      dlqTopic: () => foreign.dlqTopic,
      parking: createParking(tail),
      dlqPartitionByKey: true,
    });
    supervisors.push(
      superviseGroup({
        groupId,
        topic,
        logger,
        backoff,
        join: async (hooks) => {
          const ready = await awaitForeignTopic({
            transport,
            logger,
            topic,
            groupId,
            stopped: () => stopping,
          });
          if (!ready) return { stop: async () => undefined };
          await startTail();
          return transport.consume({
            groupId,
            topics: [topic, foreign.redriveTopic],
            fromBeginning: true,
            eachBatch,
            ...hooks,
          });
        },
      }),
    );
  }

  return {
    groups: supervisors,
    start: () => supervisors.forEach((s) => s.start()),
    async stop() {
      stopping = true;
      await Promise.allSettled(supervisors.map((s) => s.stop()));
      await Promise.allSettled(tails.map((t) => t.stop()));
    },
  };
}
