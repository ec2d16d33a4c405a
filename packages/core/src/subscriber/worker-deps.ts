import type { Announcer } from '../announcements/announcer';
import type { Codec } from '../codec/codec';
import type { EventDraft } from '../event/define-event';
import type { ConsumedEvent } from '../event/envelope';
import type { IdempotencyLedger } from '../outcomes/idempotency-ledger';
import type { Logger } from '../service/logger';
import type { RecordPosition } from '../store/position';
import type { StateStore } from '../store/state-store';
import type { OffsetCommit, Transport } from '../transport/transport';
import type { SubscriberCounters } from './counters';
import type { AnyHandler } from './handlers';
import type { Parking } from './parking';
import type { ConsumerTelemetry } from '../telemetry/index';

/** Everything one consumer group's batches need. */
export interface WorkerDeps {
  readonly groupId: string;
  readonly codec: Codec;
  readonly transport: Transport;
  readonly store: StateStore | undefined;
  readonly routes: ReadonlyMap<string, AnyHandler>;
  readonly entityType: (handler: AnyHandler) => string;
  readonly dlqTopic: (topic: string) => string;
  /** Longest wait between attempts of a transient fault (retried without limit). */
  readonly transientMaxDelayMs: number;
  /** Most own-event records applied in one `applyBatch` call (1 applies one by one). */
  readonly applyBatchSize: number;
  /** Records handled between offset commits within one batch. */
  readonly commitEveryRecords: number;
  readonly counters: SubscriberCounters;
  readonly logger: Logger;
  /** Produces a handler's follow-up events with the consumed offset, in one transaction. */
  readonly emit: (drafts: readonly EventDraft[], cause: ConsumedEvent, offset: OffsetCommit) => Promise<void>;
  /** Wakes local waiters on a token: called for every own event applied, dead-lettered, parked or in conflict. */
  readonly onApplied: (position: RecordPosition) => void;
  /** Runs reducers with `emit`/`reject` and relays what they announced (own events only). */
  readonly announcer: Announcer;
  /** The idempotency ledger; the self-subscriber checks own events against it before applying them. */
  readonly ledger?: IdempotencyLedger;
  /** Key parking; the self-subscriber and subscriptions to another service's topic have it. */
  readonly parking?: Parking;
  /** Choose a record's DLQ partition by its key rather than by its source partition. @defaultValue false */
  readonly dlqPartitionByKey?: boolean;
  /** Records in hand and apply latency for the service's metrics (spans need nothing but the API). */
  readonly telemetry?: ConsumerTelemetry;
}
