import { dlqTail, type DlqTail } from '../dlq/dlq-tail';
import type { IdempotencyLedger } from '../outcomes/idempotency-ledger';
import type { TailHandle } from '../outcomes/tail-handle';
import { exponential } from '../retry/backoff';
import type { AnyHandler } from '../subscriber/handlers';
import { createParking } from '../subscriber/parking';
import { createBatchHandler, type WorkerDeps } from '../subscriber/partition-worker';
import type { Consumption } from '../transport/transport';
import { announcerOf } from '../announcements/announcer-of';
import { followUps } from './follow-ups';
import { awaitForeignTopic, startOnce } from './foreign-join';
import { superviseGroup, type ConsumeHooks, type GroupSupervisor } from './group-supervisor';
import type { Lifecycle } from './lifecycle-state';
import type { SubscriptionPlan } from './topic-plan';

/** What every group's batches share (a group's own id, routes and parking are added here, follow-ups too). */
export type CommonDeps = Omit<WorkerDeps, 'groupId' | 'routes' | 'parking' | 'emit' | 'announcer'> & {
  /** The service's name and own topic: where follow-up events without a topic of their own go. */
  readonly service: string;
  readonly ownTopic: string;
};

export interface SubscribersOptions {
  readonly common: CommonDeps;
  /** The self-subscriber: the service's own group and its `onOwnEvent` routes (may be empty). */
  readonly own: {
    readonly groupId: string;
    readonly routes: ReadonlyMap<string, AnyHandler>;
    /** Checked before own events are applied: one idempotency key, one command. */
    readonly ledger?: IdempotencyLedger;
    /** The service's DLQ tail, which key parking and token outcomes read; started as the group joins. */
    readonly tails: TailHandle;
  };
  /** The `onEvent` groups, each on the topic it reads (see `planTopics`). */
  readonly subscriptions: readonly SubscriptionPlan[];
  /** Once closing, a join under way starts nothing more (no DLQ tail). */
  readonly lifecycle: Pick<Lifecycle, 'closing'>;
  /** Longest wait between two attempts to join a group again. */
  readonly restartMaxDelayMs: number;
}

/** The service's consumer groups, joined in the background and kept joined. */
export interface Subscribers {
  readonly groups: readonly GroupSupervisor[];
  /** Starts joining every group; returns at once. */
  start(): void;
  /** Stops every group (in-flight batches finish) and the subscriptions' DLQ tails. */
  stop(): Promise<void>;
}

/** How one group joins: the topics it reads once `ready()` allowed it, and its batch handler. */
interface GroupJoin {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Resolves false when the group must not join (the service is stopping). */
  readonly ready: () => Promise<boolean>;
  readonly eachBatch: () => ReturnType<typeof createBatchHandler>;
}

/**
 * One supervisor per group. The self-subscriber first starts the DLQ tail its key parking reads (once: the tail
 * keeps its index across restarts of the group), then joins. A subscription to another service's topic waits for
 * that topic (never creating it), then tails its own DLQ and reads the topic and its own redrive topic.
 */
export function createSubscribers(options: SubscribersOptions): Subscribers {
  const { own, subscriptions, lifecycle } = options;
  const { service, ownTopic, ...shared } = options.common;
  const { transport, logger } = shared;
  const { codec, store, counters } = shared;
  const common = {
    ...shared,
    emit: followUps({ service, ownTopic, codec, transport }),
    announcer: announcerOf({ service, ownTopic, codec, transport, store, counters, logger }),
  };
  const maxDelayMs = options.restartMaxDelayMs;
  const backoff = exponential({ initialDelayMs: Math.min(500, maxDelayMs), maxDelayMs });
  const tails: DlqTail[] = [];
  const joins: GroupJoin[] = [];
  let stopping = false;

  if (own.routes.size > 0) {
    // Parking keeps what it handled per tail: one batch handler per tail the service hands out.
    let tail: DlqTail | undefined;
    let handler: ReturnType<typeof createBatchHandler> | undefined;
    const deps = {
      ...common,
      groupId: own.groupId,
      routes: own.routes,
      ...(own.ledger ? { ledger: own.ledger } : {}),
    };
    joins.push({
      groupId: own.groupId,
      topics: [ownTopic],
      ready: async () => {
        // A join still under way when stop() stopped the tail must not start it again.
        const t = lifecycle.closing ? undefined : await own.tails.start({ ifDlqExists: false });
        if (t && t !== tail) handler = createBatchHandler({ ...deps, parking: createParking((tail = t)) });
        return t !== undefined;
      },
      eachBatch: () => handler!,
    });
  }
  for (const { group: groupId, topic, routes, foreign } of subscriptions) {
    if (!foreign) {
      const eachBatch = createBatchHandler({ ...common, groupId, routes });
      joins.push({ groupId, topics: [topic], ready: async () => true, eachBatch: () => eachBatch });
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
    joins.push({
      groupId,
      topics: [topic, foreign.redriveTopic],
      ready: async () => {
        const stopped = () => stopping;
        if (!(await awaitForeignTopic({ transport, logger, topic, groupId, stopped }))) return false;
        await startTail();
        return true;
      },
      eachBatch: () => eachBatch,
    });
  }

  const supervisors = joins.map((g) =>
    superviseGroup({
      groupId: g.groupId,
      topic: g.topics[0]!,
      logger,
      backoff,
      join: async (hooks: ConsumeHooks): Promise<Consumption> => {
        if (!(await g.ready())) return { stop: async () => undefined };
        return transport.consume({
          groupId: g.groupId,
          topics: g.topics,
          fromBeginning: true,
          eachBatch: g.eachBatch(),
          ...hooks,
        });
      },
    }),
  );

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
