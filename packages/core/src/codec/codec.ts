import type { EventDefinition } from '../event/define-event';

/** What a codec needs to encode one event. */
export interface EncodeInput {
  readonly topic: string;
  readonly definition: EventDefinition;
  readonly payload: unknown;
}

/** What a codec gets to decode one record. `definition` is the consumer's own definition of the event type. */
export interface DecodeInput {
  readonly topic: string;
  readonly value: Buffer;
  readonly definition: EventDefinition;
}

/**
 * Turns event payloads into record values and back. Contract:
 * - `prepare()` runs once at service start with every event type the service produces or consumes; a codec that
 *   registers schemas does it there and fails start with a clear error when it cannot.
 * - `decode()` throws `DecodeError` for a value it cannot read (never retried: the record is dead-lettered) and a
 *   retriable error for a fault that heals (a registry briefly unreachable). It does not check the event schema:
 *   the subscriber does that after decoding.
 * - Both may be called concurrently.
 */
export interface Codec {
  readonly name: string;
  prepare(ctx: { topic: string; events: readonly EventDefinition[] }): Promise<void>;
  encode(input: EncodeInput): Promise<Buffer>;
  decode(input: DecodeInput): Promise<unknown>;
}
