import type { Context, Link, Span, SpanKind, Tracer } from '@opentelemetry/api';
import { messageOf } from '../errors/errors';
import { isLtyError } from '../errors/lty-error';
import { ATTR, type Attributes } from './attributes';
import { otel, type Otel } from './otel-api';
import { injectContext } from './trace-context';

/** The instrumentation scope of every span and metric of the framework. */
export const TRACER_NAME = '@listen-to-yourself/core';

/** A span that has started; `end()` ends it once, marking it failed with `error` when given. */
export interface SpanHandle {
  setAttributes(attributes: Attributes): void;
  end(error?: unknown): void;
}

/** True when the application registered a tracer provider: until then no span is started at all. */
export function tracingOn(api: Otel): boolean {
  const provider = api.trace.getTracerProvider();
  if (!(provider instanceof api.ProxyTracerProvider)) return true;
  return provider.getDelegate() !== noopProvider(api);
}

/** The API when a tracer provider is registered, else undefined: no span is to be made. */
export function tracingApi(): Otel | undefined {
  const api = otel();
  return api && tracingOn(api) ? api : undefined;
}

let noop: { api: Otel; provider: unknown } | undefined;
function noopProvider(api: Otel): unknown {
  if (noop?.api !== api) noop = { api, provider: new api.ProxyTracerProvider().getDelegate() };
  return noop.provider;
}

const noSpan: SpanHandle = Object.freeze({ setAttributes: () => undefined, end: () => undefined });

/** Marks a span failed with the error's type (an `LtyError` code, else the error's name) and ends it. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    const api = otel();
    span.setAttribute(
      ATTR.errorType,
      isLtyError(error) ? error.code : error instanceof Error ? error.name : 'Error',
    );
    if (error instanceof Error) span.recordException(error);
    if (api) span.setStatus({ code: api.SpanStatusCode.ERROR, message: messageOf(error) });
  }
  span.end();
}

/**
 * Starts a span under the active one (a record's CONSUMER span while a record is processed), for work that is
 * a step of it: a relay of announcements, say. Costs nothing without the OpenTelemetry API or an SDK.
 */
export function startChildSpan(name: string, attributes: Attributes = {}): SpanHandle {
  const api = otel();
  if (!api || !tracingOn(api)) return noSpan;
  const span = tracer(api).startSpan(name, { attributes });
  return { setAttributes: (a) => void span.setAttributes(a), end: (err) => endSpan(span, err) };
}

/**
 * Runs `fn` in a new span (child of `parent`, else of the active context) made current for everything `fn`
 * starts; the span ends when `fn` settles. Without the API or a tracer provider `fn` simply runs.
 */
export function inSpan<T>(
  name: string,
  options: SpanOptions,
  fn: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  const api = tracingApi();
  // No provider: `fn` itself, with no wrapping promise.
  return api ? inNewSpan(api, name, options, fn) : fn(undefined);
}

interface SpanOptions {
  kind?: 'producer' | 'consumer' | 'internal';
  /** A function is called only when tracing is on: without a provider no attribute object is made. */
  attributes?: Attributes | (() => Attributes);
  /** Called only when tracing is on. */
  parent?: () => Context;
  /** Also links the span to its parent, as the messaging conventions ask of a process span. */
  linkParent?: boolean;
}

async function inNewSpan<T>(
  api: Otel,
  name: string,
  options: SpanOptions,
  fn: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  const parent = options.parent?.() ?? api.context.active();
  const attributes = typeof options.attributes === 'function' ? options.attributes() : options.attributes;
  const span = tracer(api).startSpan(
    name,
    {
      kind: kindOf(api, options.kind),
      attributes: attributes ?? {},
      ...(options.linkParent ? { links: linkTo(api, parent) } : {}),
    },
    parent,
  );
  // Made current even when the sampler dropped it: its context (sampled flag off) still travels downstream.
  try {
    const result = await api.context.with(api.trace.setSpan(parent, span), () => fn(span));
    endSpan(span);
    return result;
  } catch (err) {
    endSpan(span, err);
    throw err;
  }
}

/** Writes the current trace context into a record's headers (`traceparent`), when there is one. */
export function injectTraceContext(headers: Record<string, string>): void {
  const api = otel();
  if (api && tracingOn(api)) injectContext(api, headers);
}

/** A link to the span context in `ctx`, if it holds one: how a process span names the message's creation. */
export function linkTo(api: Otel, ctx: Context): Link[] {
  const sc = api.trace.getSpanContext(ctx);
  return sc && api.isSpanContextValid(sc) ? [{ context: sc }] : [];
}

function kindOf(api: Otel, kind: 'producer' | 'consumer' | 'internal' | undefined): SpanKind {
  if (kind === 'producer') return api.SpanKind.PRODUCER;
  if (kind === 'consumer') return api.SpanKind.CONSUMER;
  return api.SpanKind.INTERNAL;
}

/** The framework's tracer, from the provider registered now (the SDK keeps one per name). */
export function tracer(api: Otel): Tracer {
  return api.trace.getTracer(TRACER_NAME);
}
