import { DecodeError } from '../errors/errors';
import type { Codec } from './codec';
import { withEncodeNow } from './encode-now';

/**
 * UTF-8 JSON values, for setups without a schema registry. Dates become ISO strings on the wire: give date fields
 * `z.coerce.date()` in the event schema so they read back as dates.
 */
export function jsonCodec(): Codec {
  const encode = (payload: unknown) => Buffer.from(JSON.stringify(payload), 'utf8');
  const codec: Codec = {
    name: 'json',
    async prepare() {},
    async encode({ payload }) {
      return encode(payload);
    },
    async decode({ value, definition }) {
      try {
        return JSON.parse(value.toString('utf8')) as unknown;
      } catch (err) {
        throw new DecodeError(`Record of ${definition.type} is not valid JSON`, { cause: err });
      }
    },
  };
  return withEncodeNow(codec, ({ payload }) => encode(payload));
}
