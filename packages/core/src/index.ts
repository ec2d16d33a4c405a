// The public API of @listen-to-yourself/core, listed by hand: what is not here is internal.

export { defineEvent } from './event/define-event';
export type { EventDefinition, EventDraft, EventOptions, PayloadOf } from './event/define-event';
export type { ConsumedEvent, EventMeta } from './event/envelope';
export { HEADERS } from './event/headers';

export { defineCommand } from './command/define-command';
export type {
  CommandContext,
  CommandDefinition,
  CommandInput,
  CommandOptions,
} from './command/define-command';

export { onOwnEvent, onEvent, retryDefaults } from './subscriber/handlers';
export type {
  AnyHandler,
  ApplyContext,
  EventContext,
  EventHandler,
  OwnEventHandler,
  RetryOptions,
  RetryPolicy,
} from './subscriber/handlers';
export type { SubscriberCounters } from './subscriber/counters';

export { asyncApiDocument, definitionsOf, jsonSchemaOf } from './catalog/index';
export type {
  AsyncApiDocument,
  AsyncApiOptions,
  JsonSchema,
  ServiceDefinitions,
  SubscriptionDefinition,
} from './catalog/index';
export { createService } from './service/create-service';
export type { Receipt, SendOptions, Service } from './service/service-types';
export type {
  CommandPathState,
  GroupHealth,
  GroupState,
  HealthStatus,
  LastError,
  ServiceHealth,
} from './service/health-types';
export { serviceDefaults } from './service/service-options';
export { subscriptionTopics } from './service/subscription-topics';
export type { SubscriptionTopics } from './service/subscription-topics';
export type { ServiceOptions } from './service/service-options';
export { consoleLogger, silentLogger } from './service/logger';
export type { Logger } from './service/logger';
export { decodeToken, encodeToken } from './service/token';
export type { TokenEntry } from './service/token';
export type {
  AppliedOutcome,
  ConflictOutcome,
  DeadLetteredOutcome,
  RejectedOutcome,
  EventOutcome,
  OutcomeEvent,
  PendingOutcome,
  SettledOutcome,
  TokenOutcome,
} from './outcomes/event-outcome';

export type { Codec, DecodeInput, EncodeInput, PrepareInput } from './codec/codec';
export { jsonCodec } from './codec/json-codec';

export type {
  Batch,
  BatchControl,
  ConsumeOptions,
  Consumption,
  IncomingRecord,
  OffsetCommit,
  OutgoingRecord,
  ProduceOptions,
  TopicPartition,
  TopicSpec,
  Transport,
} from './transport/transport';
export { kafkaTransport } from './transport/kafka-transport';
export { kafkaTransportDefaults } from './transport/kafka-transport-options';
export type { KafkaTransportOptions } from './transport/kafka-transport-options';
export { partitionForKey } from './transport/partitioner';
export { inMemoryTransport, inMemoryTransportDefaults } from './transport/in-memory-transport';
export type {
  InMemoryFaults,
  InMemoryTransport,
  InMemoryTransportOptions,
  PartitionAssigner,
} from './transport/in-memory-transport';
// Building blocks for transports in other packages (@listen-to-yourself/transport-confluent).
export { createSendQueue } from './transport/send-queue';
export { createDeferrals } from './transport/deferrals';
export type { Deferrals } from './transport/deferrals';
export { createOffsetCommitter, groupCommitters } from './transport/offset-committer';
export type { GroupCommitters, OffsetCommitter, PartitionOffset } from './transport/offset-committer';
export { incomingRecords } from './transport/incoming-records';
export type { ClientBatch } from './transport/incoming-records';
export type { CoalescedSend } from './transport/send-queue';
export { normaliseHeaders } from './event/headers';

export type { ApplyChange, ApplyResult, EntityRef, StateStore, StoredEntity } from './store/state-store';
// Apply-time decisions: what reducers use (`ctx.emit`, `ctx.reject`) and what stores write (see `decide`).
export type { DecisionContext, Rejection } from './announcements/decision-context';
export { decide, decision } from './store/decision';
export type { Announcement, Decided, Decision } from './store/decision';
export { inMemoryStateStore, inMemoryStateStoreDefaults } from './store/in-memory-state-store';
export type { InMemoryStateStore, InMemoryStateStoreOptions } from './store/in-memory-state-store';
export { compareOffsets, nextOffset, reached } from './store/position';
// For adapter authors: per-entity batch application and options parsing that fails like core's own.
export { runPerEntity } from './store/run-per-entity';
export { parseOptions } from './service/parse-options';
export type { RecordPosition } from './store/position';

export { exponential, exponentialBackoffDefaults, fixed } from './retry/backoff';
export type { Backoff, BackoffSetting, ExponentialBackoffOptions } from './retry/backoff';
export { classifyFailure } from './retry/classify';
export type { FailureKind } from './retry/classify';

export { DLQ_HEADERS } from './dlq/dead-letter';
export type { DeadLetterReason } from './dlq/dead-letter';
export { REDRIVE_HEADERS, RELEASE_MARKER_TYPE } from './dlq/control-records';
export type { DlqControl } from './dlq/control-records';
export { deadLetters } from './dlq/dead-letters';
export type { DeadLetters, GroupStatus, PartitionStatus, ReleaseResult } from './dlq/dead-letters';
export { deadLettersDefaults } from './dlq/dead-letters-options';
export type { DeadLettersOptions } from './dlq/dead-letters-options';
export type { DeadLetter } from './dlq/dead-letter-view';
export type { DeadLetterSelection } from './dlq/redrive-plan';

export {
  LtyError,
  isLtyError,
  CommandValidationError,
  CommandRejectedError,
  ConfigError,
  NonRetryableError,
  TransientError,
  RetriesExhaustedError,
  DecodeError,
  EventSchemaError,
  TransportError,
  TimeoutError,
  ServiceStateError,
  InvalidTokenError,
  DeadLetteredError,
  IdempotencyConflictError,
  ApplyRejectedError,
  messageOf,
} from './errors/index';
export { InvalidEntityRefError } from './errors/index';
export type { LtyErrorCode, LtyErrorFor, ValidationIssue } from './errors/index';

export { uuidV5, uuidV7 } from './ids/uuid';
