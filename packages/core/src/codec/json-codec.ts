import { DecodeError } from '../errors/errors';
import type { Codec } from './codec';

/**
 * UTF-8 JSON values, for setups without a schema registry. Dates become ISO strings on the wire: give date fields
 * `z.coerce.date()` in the event schema so they read back as dates.
 */
export function jsonCodec(): Codec {
  return {
    name: 'json',
    async prepare() {},
    async encode({ payload }) {
      return Buffer.from(JSON.stringify(payload), 'utf8');
    },
    async decode({ value, definition }) {
      try {
        return JSON.parse(value.toString('utf8')) as unknown;
      } catch (err) {
        throw new DecodeError(`Record of ${definition.type} is not valid JSON`, { cause: err });
      }
    },
  };
}
