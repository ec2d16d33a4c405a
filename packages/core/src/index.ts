// The public API of @listen-to-yourself/core for service authors, listed by hand: what is not here is internal,
// or for adapter and transport authors in ./store-kit and ./transport-kit.

export { defineEvent } from './event/define-event';
export type { DraftOf, EventDefinition, EventDraft, EventOptions, PayloadOf } from './event/define-event';
export type { ConsumedEvent, EventMeta } from './event/envelope';
export { HEADERS } from './event/headers';

export { defineCommand } from './command/define-command';
export type {
  CommandContext,
  CommandDefinition,
  CommandInput,
  CommandOptions,
  ToEventsResult,
} from './command/define-command';

export { defineEntity } from './entity/define-entity';
export type {
  AnyEntity,
  DefineEntity,
  DefineEntityFunction,
  EntityDefinition,
  EntityOptions,
  EntityReducer,
  EntityType,
  TxOf,
} from './entity/entity-types';

export { onOwnEvent, onEvent, retryDefaults } from './subscriber/handlers';
export type {
  AnyHandler,
  ApplyContext,
  EventContext,
  EventHandler,
  EventHandlerOptions,
  OwnEventHandler,
  OwnEventOptions,
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
export type { EntityReader, Receipt, SendOptions, Service } from './service/service-types';
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

// The type a service's `transport` option takes; transport authors find the rest in ./transport-kit.
export type { Transport } from './transport/transport';
export { kafkaTransport } from './transport/kafka-transport';
export { kafkaTransportDefaults } from './transport/kafka-transport-options';
export type { KafkaTransportOptions } from './transport/kafka-transport-options';
export { inMemoryTransport, inMemoryTransportDefaults } from './transport/in-memory-transport';
export type {
  InMemoryFaults,
  InMemoryTransport,
  InMemoryTransportOptions,
  PartitionAssigner,
} from './transport/in-memory-transport';

// The types a service's options and reads name; adapter authors find the rest in ./store-kit.
export type { EntityRef, StateStore, StoredEntity } from './store/state-store';
// Apply-time decisions: what reducers use (`ctx.emit`, `ctx.reject`) and what stores write (see `decide`).
export type { DecisionContext, Rejection } from './announcements/decision-context';
export { decide, decision } from './store/decision';
export type { Announcement, Decided, Decision } from './store/decision';
export { inMemoryStateStore, inMemoryStateStoreDefaults } from './store/in-memory-state-store';
export type { InMemoryStateStore, InMemoryStateStoreOptions } from './store/in-memory-state-store';
export type { RecordPosition } from './store/position';

export { exponential, exponentialBackoffDefaults, fixed } from './retry/backoff';
export type { Backoff, BackoffSetting, ExponentialBackoffOptions } from './retry/backoff';

export { DLQ_HEADERS } from './dlq/dead-letter';
export type { DeadLetterReason } from './dlq/dead-letter';
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
