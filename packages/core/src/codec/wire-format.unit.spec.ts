import { describe, expect, it } from 'vitest';
import { DecodeError } from '../errors/errors';
import { frame, unframe } from './wire-format';

describe('Confluent wire format', () => {
  it('writes magic byte 0 and a big-endian schema id before the body', () => {
    const value = frame(0x01020304, Buffer.from([9, 8]));
    expect([...value]).toEqual([0, 1, 2, 3, 4, 9, 8]);
    expect(unframe(value, 'r')).toEqual({ schemaId: 0x01020304, body: Buffer.from([9, 8]) });
  });

  it('refuses a wrong magic byte and a value shorter than the header with DecodeError', () => {
    expect(() => unframe(Buffer.from('{"json":1}'), 'r')).toThrow(DecodeError);
    expect(() => unframe(Buffer.from([1, 0, 0, 0, 1, 2]), 'r')).toThrow(/magic byte/);
    expect(() => unframe(Buffer.from([0, 0, 1]), 'r')).toThrow(/too short/);
  });
});
