import { isLtyError } from '@listen-to-yourself/core';
import { describe, expect, it } from 'vitest';
import { isTransientPgError, toStoreError } from './transient';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isTransientPgError', () => {
  it.each([
    ['serialization failure', withCode('40001')],
    ['deadlock', withCode('40P01')],
    ['admin shutdown (pg_terminate_backend)', withCode('57P01')],
    ['crash shutdown', withCode('57P02')],
    ['cannot connect now', withCode('57P03')],
    ['connection failure (class 08)', withCode('08006')],
    ['protocol violation (class 08, not in core)', withCode('08P01')],
    ['lock timeout', withCode('55P03')],
    ['too many connections', withCode('53300')],
    ['statement timeout', withCode('57014')],
    ['connection refused', withCode('ECONNREFUSED')],
    ['connection reset', withCode('ECONNRESET')],
    ['lost connection, no code', new Error('Connection terminated unexpectedly')],
    ['broken client, no code', new Error('Client has encountered a connection error and is not queryable')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['refused on every address', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')])],
    ['wrapped', new Error('outer', { cause: withCode('40P01') })],
  ])('%s is transient', (_, err) => {
    expect(isTransientPgError(err)).toBe(true);
  });

  it.each([
    ['unique violation', withCode('23505')],
    ['syntax error', withCode('42601')],
    ['undefined table', withCode('42P01')],
    ['in failed transaction', withCode('25P02')],
    ['a coded error that mentions a terminated connection', withCode('XX000', 'Connection terminated')],
    ['a plain error', new Error('boom')],
    ['not an error', 'Connection terminated'],
  ])('%s is not transient', (_, err) => {
    expect(isTransientPgError(err)).toBe(false);
  });
});

describe('toStoreError', () => {
  it('wraps a transient fault in TransientError with the cause', () => {
    const cause = withCode('57P01');
    const err = toStoreError(cause, 'apply');
    expect(isLtyError(err, 'LTY_TRANSIENT')).toBe(true);
    expect(err).toMatchObject({ retriable: true, cause });
  });

  it('returns any other error as it is', () => {
    const err = withCode('23505');
    expect(toStoreError(err, 'apply')).toBe(err);
  });
});
