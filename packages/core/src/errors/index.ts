export { LtyError, isLtyError } from './lty-error';
export type { LtyErrorCode, LtyErrorOptions } from './lty-error';
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
