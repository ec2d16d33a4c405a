import type { Codec, EncodeInput } from './codec';

/** Encodes at once, or answers undefined when the codec must wait for something first (a schema's registration). */
export type EncodeNow = (input: EncodeInput) => Buffer | undefined;

// The framework's own codecs and their synchronous encoders, by identity: a codec made another way, or a copy with
// its own `encode()`, is not here and is always awaited.
const encoders = new WeakMap<Codec, EncodeNow>();

/**
 * Gives `codec` a synchronous encoder the send path uses before `encode()`: a command then waits on nothing
 * between its conversion and its produce. `encodeNow` must give the very bytes `encode()` gives.
 */
export function withEncodeNow<C extends Codec>(codec: C, encodeNow: EncodeNow): C {
  encoders.set(codec, encodeNow);
  return codec;
}

/** `codec`'s value for `input` at once, or undefined: then `codec.encode(input)` is the way. */
export function encodeNow(codec: Codec, input: EncodeInput): Buffer | undefined {
  return encoders.get(codec)?.(input);
}
