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

/** What `prepare()` gets: the event types of one topic. */
export interface PrepareInput {
  readonly topic: string;
  readonly events: readonly EventDefinition[];
  /**
   * True for a topic the service only reads (an `onEvent` subscription to another service's topic): a codec
   * that registers schemas checks it can read what is registered there, and registers nothing.
   */
  readonly consumeOnly?: boolean;
}

/**
 * Turns event payloads into record values and back. Contract:
 * - `prepare()` runs at service start, once per topic, with every event type the service produces or consumes
 *   there; a codec that registers schemas does it there and fails start with a clear error when it cannot. The
 *   events a command produces are known only at run time (`toEvents()` returns drafts), so `encode()` must also
 *   accept a type `prepare()` did not see (a registering codec registers it on first use).
 * - `decode()` throws `DecodeError` for a value it cannot read (never retried: the record is dead-lettered) and a
 *   retriable error for a fault that heals (a registry briefly unreachable). It does not check the event schema:
 *   the subscriber does that after decoding.
 * - Both may be called concurrently.
 */
export interface Codec {
  readonly name: string;
  prepare(ctx: PrepareInput): Promise<void>;
  encode(input: EncodeInput): Promise<Buffer>;
  decode(input: DecodeInput): Promise<unknown>;
  /**
   * The schema an event type's values are written with, for a catalog (AsyncAPI's `schemaFormat` and `schema`).
   * Left out, or undefined, when the value is the payload as JSON: the catalog then shows the zod schema.
   */
  describe?(
    definition: EventDefinition,
  ): { readonly schemaFormat: string; readonly schema: unknown } | undefined;
}
