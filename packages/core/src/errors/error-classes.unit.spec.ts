import { describe, expect, expectTypeOf, it } from 'vitest';
import type { LtyErrorClasses } from './error-classes';
import { CommandValidationError, TimeoutError } from './errors';
import { isLtyError, type LtyErrorCode } from './lty-error';

describe('isLtyError narrowing', () => {
  it('narrows to the class of the code, so its fields need no cast', () => {
    const err: unknown = new CommandValidationError('C', [{ path: ['a'], message: 'bad', code: 'custom' }]);
    if (!isLtyError(err, 'LTY_COMMAND_VALIDATION')) throw new Error('not recognised');
    expectTypeOf(err).toEqualTypeOf<CommandValidationError>();
    expect(err.issues[0]!.path).toEqual(['a']);
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
