export { LtyError, isLtyError } from './lty-error';
export type { LtyErrorCode, LtyErrorOptions } from './lty-error';
export type { LtyErrorFor } from './error-classes';
export {
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
  messageOf,
} from './errors';
export type { ValidationIssue } from './errors';
export { InvalidEntityRefError } from './invalid-entity-ref-error';
export { DeadLetteredError, IdempotencyConflictError, InvalidTokenError } from './outcome-errors';
export { ApplyRejectedError } from './apply-rejected-error';
