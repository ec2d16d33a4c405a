import type { IdempotencyLedger } from '../outcomes/idempotency-ledger';
import type { TailHandle } from '../outcomes/tail-handle';
import type { RecordPosition } from '../store/position';
import type { SubscriberCounters } from '../subscriber/counters';
import type { Lifecycle } from './lifecycle-state';
import type { ResolvedService } from './resolve-options';
import type { SubscribersOptions } from './subscribers';
import type { ServiceTelemetry } from '../telemetry/index';

/** What the service's groups share with the rest of the service. */
export interface SubscriberParts {
  readonly lifecycle: Lifecycle;
  readonly tails: TailHandle;
  readonly ledger: IdempotencyLedger | undefined;
  readonly counters: SubscriberCounters;
  /** Wakes local waiters on a token (see `tokenOutcomes`). */
  readonly onApplied: (position: RecordPosition) => void;
  /** Traces and metrics: the lifecycle starts and stops them, the groups feed them. */
  readonly telemetry: ServiceTelemetry;
}

/** The options of the service's consumer groups, from its resolved options. */
export function subscribersOptions(s: ResolvedService, parts: SubscriberParts): SubscribersOptions {
  const { settings } = s;
  return {
    common: {
      service: s.name,
      ownTopic: s.topic,
      codec: s.codec,
      transport: s.transport,
      store: s.store,
      entityType: s.routes.entityType,
      dlqTopic: s.dlqTopic,
      counters: parts.counters,
      logger: s.logger,
      onApplied: parts.onApplied,
      telemetry: parts.telemetry.consumer,
      transientMaxDelayMs: settings.transientMaxDelayMs,
      applyBatchSize: settings.applyBatchSize,
      commitEveryRecords: settings.commitEveryRecords,
    },
    own: {
      groupId: s.groupId,
      routes: s.routes.byType,
      ...(parts.ledger ? { ledger: parts.ledger } : {}),
      tails: parts.tails,
    },
    subscriptions: s.plan.subscriptions,
    lifecycle: parts.lifecycle,
    restartMaxDelayMs: settings.transientMaxDelayMs,
  };
}
