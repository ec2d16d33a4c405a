/**
 * Header names on the records the framework produces. All values are UTF-8 strings. `traceparent` (W3C Trace
 * Context, so tracing tools read it without configuration) is written when the application registered an
 * OpenTelemetry tracer provider: see {@link https://github.com/listen-to-yourself/listen-to-yourself/blob/main/docs/observability.md | Observability}.
 */
export const HEADERS = Object.freeze({
  eventId: 'lty-event-id',
  eventType: 'lty-event-type',
  schemaVersion: 'lty-schema-version',
  idempotencyKey: 'lty-idempotency-key',
  /** SHA-256 of the command's name and canonical parsed input: one idempotency key names one input. */
  inputFingerprint: 'lty-input-fingerprint',
  command: 'lty-command',
  correlationId: 'lty-correlation-id',
  causationId: 'lty-causation-id',
  producedAt: 'lty-produced-at',
  service: 'lty-service',
  traceparent: 'traceparent',
});

export type RecordHeaders = Record<string, string>;

/** Reads a header as a string whatever form the client gave it (Buffer, string, array of either). */
export function headerString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return headerString(value[value.length - 1]);
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return undefined;
}

/** Normalises a client's headers object to plain strings. */
export function normaliseHeaders(raw: Record<string, unknown> | undefined): RecordHeaders {
  const out: RecordHeaders = {};
  if (!raw) return out;
  for (const [name, value] of Object.entries(raw)) {
    const s = headerString(value);
    if (s !== undefined) out[name] = s;
  }
  return out;
}
