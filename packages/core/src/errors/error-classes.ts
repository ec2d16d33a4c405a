import type {
  CommandRejectedError,
  CommandValidationError,
  ConfigError,
  DecodeError,
  EventSchemaError,
  NonRetryableError,
  RetriesExhaustedError,
  ServiceStateError,
  TimeoutError,
  TransientError,
  TransportError,
} from './errors';
import type { ApplyRejectedError } from './apply-rejected-error';
import type { InvalidEntityRefError } from './invalid-entity-ref-error';
import type { LtyError, LtyErrorCode } from './lty-error';
import type { DeadLetteredError, IdempotencyConflictError, InvalidTokenError } from './outcome-errors';

/**
 * The class raised with each code. Codes raised by more than one class, or by user code through `LtyError`
 * itself, map to `LtyError`.
 */
export interface LtyErrorClasses {
  LTY_CONFIG: ConfigError;
  LTY_COMMAND_VALIDATION: CommandValidationError;
  LTY_COMMAND_REJECTED: CommandRejectedError;
  LTY_NOT_STARTED: ServiceStateError;
  LTY_STOPPED: ServiceStateError;
  LTY_TIMEOUT: TimeoutError;
  LTY_TRANSPORT: TransportError;
  LTY_DECODE: DecodeError;
  LTY_SCHEMA: EventSchemaError;
  LTY_NON_RETRYABLE: NonRetryableError;
  LTY_RETRIES_EXHAUSTED: RetriesExhaustedError;
  LTY_STORE: LtyError;
  LTY_TRANSIENT: TransientError;
  LTY_UNKNOWN_EVENT: LtyError;
  LTY_INVALID_ENTITY_REF: InvalidEntityRefError;
  LTY_INVALID_TOKEN: InvalidTokenError;
  LTY_DEAD_LETTERED: DeadLetteredError;
  LTY_IDEMPOTENCY_CONFLICT: IdempotencyConflictError;
  LTY_REJECTED: ApplyRejectedError;
}

/** The error type `isLtyError(err, code)` narrows to. */
export type LtyErrorFor<C extends LtyErrorCode> = C extends keyof LtyErrorClasses
  ? LtyErrorClasses[C]
  : LtyError;
