import { LtyError } from './lty-error';

/** One problem found in a command's input: where (a path into the input) and what. */
export interface ValidationIssue {
  path: (string | number)[];
  message: string;
  code: string;
}

/** The command's input failed its schema. Lists every problem at once; no event was produced. */
export class CommandValidationError extends LtyError {
  readonly command: string;
  readonly issues: ValidationIssue[];
  constructor(command: string, issues: ValidationIssue[]) {
    const list = issues
      .map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`)
      .join('; ');
    super('LTY_COMMAND_VALIDATION', `Command ${command} is invalid: ${list}`);
    this.name = 'CommandValidationError';
    this.command = command;
    this.issues = issues;
  }
}

/**
 * Thrown by a command's `validate()` (or by user code in it) to refuse a command for a business reason.
 * No event is produced.
 */
export class CommandRejectedError extends LtyError {
  readonly reason: string;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super('LTY_COMMAND_REJECTED', reason);
    this.name = 'CommandRejectedError';
    this.reason = reason;
    this.details = details;
  }
}

/** Options given to a factory are invalid. Lists every problem at once. */
export class ConfigError extends LtyError {
  readonly issues: string[];
  constructor(what: string, issues: string[]) {
    super('LTY_CONFIG', `Invalid ${what}: ${issues.join('; ')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Throw from a handler to dead-letter the event at once, without further attempts. */
export class NonRetryableError extends LtyError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('LTY_NON_RETRYABLE', message, { cause: options.cause, retriable: false });
    this.name = 'NonRetryableError';
  }
}

/**
 * Throw (or let an adapter throw) for an infrastructure fault that heals by itself: the event is retried
 * without limit at a capped delay and never dead-lettered.
 */
export class TransientError extends LtyError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('LTY_TRANSIENT', message, { cause: options.cause, retriable: true });
    this.name = 'TransientError';
  }
}

/** A handler failed on every allowed attempt. Carries the attempt count and the last error as `cause`. */
export class RetriesExhaustedError extends LtyError {
  readonly attempts: number;
  constructor(attempts: number, cause: unknown) {
    super('LTY_RETRIES_EXHAUSTED', `Gave up after ${attempts} attempts: ${messageOf(cause)}`, { cause });
    this.name = 'RetriesExhaustedError';
    this.attempts = attempts;
  }
}

/** A record could not be decoded (bad framing, unknown schema, truncated body). Dead-lettered, never retried. */
export class DecodeError extends LtyError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('LTY_DECODE', message, { cause: options.cause });
    this.name = 'DecodeError';
  }
}

/** A decoded event does not match its schema. Dead-lettered, never retried. */
export class EventSchemaError extends LtyError {
  readonly issues: ValidationIssue[];
  constructor(eventType: string, issues: ValidationIssue[]) {
    const list = issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ');
    super('LTY_SCHEMA', `Event ${eventType} fails its schema: ${list}`);
    this.name = 'EventSchemaError';
    this.issues = issues;
  }
}

/** The Kafka client failed. `retriable` tells whether the same send may succeed later. */
export class TransportError extends LtyError {
  constructor(message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super('LTY_TRANSPORT', message, { cause: options.cause, retriable: options.retriable ?? true });
    this.name = 'TransportError';
  }
}

/** A bounded wait ended before its condition held. */
export class TimeoutError extends LtyError {
  readonly timeoutMs: number;
  constructor(message: string, timeoutMs: number) {
    super('LTY_TIMEOUT', message, { retriable: true });
    this.name = 'TimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** The service is not running (never started, stopping or stopped). */
export class ServiceStateError extends LtyError {
  constructor(code: 'LTY_NOT_STARTED' | 'LTY_STOPPED', message: string) {
    super(code, message, { retriable: code === 'LTY_STOPPED' });
    this.name = 'ServiceStateError';
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
