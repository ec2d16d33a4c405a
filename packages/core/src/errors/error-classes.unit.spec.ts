import { describe, expect, expectTypeOf, it } from 'vitest';
import type { LtyErrorClasses } from './error-classes';
import { ApplyRejectedError } from './apply-rejected-error';
import { CommandValidationError, TimeoutError } from './errors';
import { isLtyError, type LtyErrorCode } from './lty-error';

describe('isLtyError narrowing', () => {
  it('narrows to the class of the code, so its fields need no cast', () => {
    const err: unknown = new CommandValidationError('C', [{ path: ['a'], message: 'bad', code: 'custom' }]);
    if (!isLtyError(err, 'LTY_COMMAND_VALIDATION')) throw new Error('not recognised');
    expectTypeOf(err).toEqualTypeOf<CommandValidationError>();
    expect(err.issues[0]!.path).toEqual(['a']);
  });

  it('narrows LTY_REJECTED to ApplyRejectedError, with its reason and event id', () => {
    const err: unknown = new ApplyRejectedError('out of stock', 'e-1');
    expect(isLtyError(err, 'LTY_DEAD_LETTERED')).toBe(false);
    if (!isLtyError(err, 'LTY_REJECTED')) throw new Error('not recognised');
    expectTypeOf(err).toEqualTypeOf<ApplyRejectedError>();
    expect([err.reason, err.eventId, err.retriable]).toEqual(['out of stock', 'e-1', false]);
  });

  it('still checks the code at run time', () => {
    const err: unknown = new TimeoutError('slow', 10);
    expect(isLtyError(err, 'LTY_COMMAND_VALIDATION')).toBe(false);
    expect(isLtyError(err, 'LTY_TIMEOUT')).toBe(true);
    expect(isLtyError(err)).toBe(true);
    expect(isLtyError(new Error('plain'))).toBe(false);
  });

  it('maps every code to a class', () => {
    // Fails to compile when a code is added without its class.
    expectTypeOf<LtyErrorCode>().toEqualTypeOf<keyof LtyErrorClasses>();
  });
});
