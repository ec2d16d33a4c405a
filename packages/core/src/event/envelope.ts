import type { RecordPosition } from '../store/position';

/** What a handler receives besides the payload: where the event came from and why. */
export interface EventMeta {
  readonly eventId: string;
  readonly type: string;
  readonly key: string;
  readonly schemaVersion: number;
  readonly position: RecordPosition;
  readonly command?: string;
  readonly idempotencyKey?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly producedAt?: string;
  /** 1 on the first try, 2 on the first retry, and so on. */
  readonly attempt: number;
  readonly headers: Readonly<Record<string, string>>;
}

/** A decoded, schema-checked event with its metadata. */
export interface ConsumedEvent<P = unknown> {
  readonly type: string;
  readonly payload: P;
  readonly meta: EventMeta;
}
