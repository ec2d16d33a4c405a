import type { Context } from '@opentelemetry/api';
import { HEADERS } from '../event/headers';
import type { Otel } from './otel-api';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * Writes the active span's context into a record's headers: through the application's propagators (so
 * `tracestate` and baggage travel too), and always as a W3C `traceparent`, with or without a propagator.
 */
export function injectContext(api: Otel, headers: Record<string, string>): void {
  const ctx = api.context.active();
  const sc = api.trace.getSpanContext(ctx);
  if (!sc || !api.isSpanContextValid(sc)) return;
  api.propagation.inject(ctx, headers);
  headers[HEADERS.traceparent] ??=
    `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/** The producer's context from a record's headers (the root context when there is none, or it is malformed). */
export function extractContext(api: Otel, headers: Readonly<Record<string, string>>): Context {
  const ctx = api.propagation.extract(api.ROOT_CONTEXT, headers);
  if (api.trace.getSpanContext(ctx)) return ctx;
  const match = TRACEPARENT.exec(headers[HEADERS.traceparent] ?? '');
  if (!match || match[1] === 'ff') return ctx;
  const spanContext = {
    traceId: match[2]!,
    spanId: match[3]!,
    traceFlags: parseInt(match[4]!, 16),
    isRemote: true,
  };
  return api.isSpanContextValid(spanContext) ? api.trace.setSpanContext(ctx, spanContext) : ctx;
}
