import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent } from '../event/define-event';
import type { Codec } from './codec';
import { encodeNow, withEncodeNow } from './encode-now';
import { jsonCodec } from './json-codec';

const Noted = defineEvent({ type: 't.Noted', schema: z.object({ text: z.string() }), key: (e) => e.text });
const input = { topic: 't', definition: Noted, payload: { text: 'ünï 🧨' } };

describe('encodeNow', () => {
  it("gives the JSON codec's very bytes at once", async () => {
    const codec = jsonCodec();
    expect(encodeNow(codec, input)).toEqual(await codec.encode(input));
  });

  it('gives nothing for a codec made another way, or a copy with its own encode(): those are awaited', () => {
    const own: Codec = { ...jsonCodec(), encode: async () => Buffer.from('mine') };
    expect(encodeNow(own, input)).toBeUndefined();
    expect(encodeNow({ ...jsonCodec() }, input)).toBeUndefined();
  });

  it('gives nothing where the encoder says it must wait', () => {
    const codec = withEncodeNow({ ...jsonCodec() }, () => undefined);
    expect(encodeNow(codec, input)).toBeUndefined();
  });
});
