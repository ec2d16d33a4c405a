import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { otelLoaded } from './otel-api';
import { injectTraceContext, inSpan, startChildSpan } from './spans';

afterEach(() => {
  trace.disable();
  context.disable();
});

describe('spans without and with a tracer provider', () => {
  it('makes nothing while no provider is registered: no span, no attributes, no traceparent', async () => {
    await otelLoaded();
    const attributes = vi.fn(() => ({ a: 1 }));
    const seen = await inSpan('x', { attributes }, async (span) => {
      const headers: Record<string, string> = {};
      injectTraceContext(headers);
      return { span, headers };
    });
    expect(seen).toEqual({ span: undefined, headers: {} });
    expect(attributes).not.toHaveBeenCalled();
    const child = startChildSpan('relay');
    expect(() => child.end()).not.toThrow();
  });

  it('records spans, their parent and the traceparent once a provider is registered', async () => {
    await otelLoaded();
    const exporter = new InMemorySpanExporter();
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
    const headers: Record<string, string> = {};
    await expect(
      inSpan('outer', { kind: 'producer', attributes: () => ({ a: 1 }) }, async () => {
        injectTraceContext(headers);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const [outer] = exporter.getFinishedSpans();
    expect(outer).toMatchObject({ name: 'outer', kind: 3, attributes: { a: 1, 'error.type': 'Error' } });
    expect(outer!.status.code).toBe(2); // ERROR
    const { traceId, spanId } = outer!.spanContext();
    expect(headers.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  });
});
