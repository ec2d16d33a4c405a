import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DecodeError,
  EventSchemaError,
  NonRetryableError,
  RetriesExhaustedError,
  TimeoutError,
  TransientError,
  TransportError,
} from '../errors/errors';
import { LtyError } from '../errors/lty-error';
import { classifyFailure } from './classify';

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('classifyFailure', () => {
  it('dead-letters at once: NonRetryableError, undecodable records, schema failures, unknown events', () => {
    expect(classifyFailure(new NonRetryableError('no'))).toBe('permanent');
    expect(classifyFailure(new DecodeError('bad bytes'))).toBe('permanent');
    expect(classifyFailure(new EventSchemaError('t', []))).toBe('permanent');
    expect(classifyFailure(new LtyError('LTY_UNKNOWN_EVENT', 'who?'))).toBe('permanent');
  });

  it('retries without limit what heals: TransientError and retriable framework errors', () => {
    expect(classifyFailure(new TransientError('db down'))).toBe('transient');
    expect(classifyFailure(new TransportError('broker down'))).toBe('transient');
    expect(classifyFailure(new TimeoutError('slow', 10))).toBe('transient');
  });

  it('counts other framework errors as handler errors', () => {
    expect(classifyFailure(new TransportError('unknown topic', { retriable: false }))).toBe('handler');
    expect(classifyFailure(new ConfigError('x', ['y']))).toBe('handler');
    expect(classifyFailure(new RetriesExhaustedError(3, new TransientError('inner')))).toBe('handler');
  });

  it('treats retriable: true from any library, and network errnos, as transient', () => {
    expect(classifyFailure(Object.assign(new Error('kafkajs'), { retriable: true }))).toBe('transient');
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT']) {
      expect(classifyFailure(withCode(code))).toBe('transient');
    }
  });

  it('knows no database codes: a store classifies its own driver errors', () => {
    for (const code of ['40001', '40P01', '57P01', '08006', '53300']) {
      expect(classifyFailure(withCode(code))).toBe('handler');
    }
  });

  it('looks through cause chains for a transient fault', () => {
    const wrapped = new Error('query failed', {
      cause: new Error('socket', { cause: withCode('ECONNRESET') }),
    });
    expect(classifyFailure(wrapped)).toBe('transient');
    expect(classifyFailure(new Error('outer', { cause: new Error('inner') }))).toBe('handler');
  });

  it('counts everything else as a handler error, including non-errors', () => {
    expect(classifyFailure(new Error('bug'))).toBe('handler');
    expect(classifyFailure(withCode('23505'))).toBe('handler'); // unique violation does not heal
    expect(classifyFailure(Object.assign(new Error('x'), { retriable: false }))).toBe('handler');
    expect(classifyFailure('a string')).toBe('handler');
    expect(classifyFailure(null)).toBe('handler');
    expect(classifyFailure(undefined)).toBe('handler');
  });

  it('does not loop on an error that is its own cause', () => {
    const self: Error & { cause?: unknown } = new Error('me');
    self.cause = self;
    expect(classifyFailure(self)).toBe('handler');
  });

  it('does not loop on a longer cause cycle', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    a.cause = new Error('b', { cause: a });
    expect(classifyFailure(a)).toBe('handler');
  });
});
