import * as api from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { extractContext, injectContext } from './trace-context';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const spanId = '00f067aa0ba902b7';

describe('trace context in record headers', () => {
  it('reads a W3C traceparent without a registered propagator', () => {
    const sc = api.trace.getSpanContext(extractContext(api, { traceparent: `00-${traceId}-${spanId}-01` }));
    expect(sc).toMatchObject({ traceId, spanId, traceFlags: 1, isRemote: true });
  });

  it.each([
    ['absent', undefined],
    ['too short', `00-${traceId}-${spanId.slice(1)}-01`],
    ['upper case', `00-${traceId.toUpperCase()}-${spanId}-01`],
    ['version ff', `ff-${traceId}-${spanId}-01`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${spanId}-01`],
    ['all-zero span id', `00-${traceId}-${'0'.repeat(16)}-01`],
    ['garbage', 'not a traceparent'],
  ])('ignores a traceparent that is %s: the record starts no trace of a stranger', (_what, value) => {
    const headers: Record<string, string> = value === undefined ? {} : { traceparent: value };
    expect(api.trace.getSpanContext(extractContext(api, headers))).toBeUndefined();
  });

  it('writes the active span context as traceparent, and nothing without one', () => {
    const none: Record<string, string> = {};
    injectContext(api, none);
    expect(none).toEqual({});
    const ctx = api.trace.setSpanContext(api.ROOT_CONTEXT, { traceId, spanId, traceFlags: 1 });
    // Without a context manager `context.with` does not switch contexts: inject reads the one given by `active`.
    const headers: Record<string, string> = {};
    const manager = {
      active: () => ctx,
      with: <A extends unknown[], F extends (...args: A) => ReturnType<F>>(
        _c: api.Context,
        fn: F,
        _t?: unknown,
        ...args: A
      ) => fn(...args),
      bind: <T>(_c: api.Context, target: T) => target,
      enable() {
        return this;
      },
      disable() {
        return this;
      },
    };
    api.context.setGlobalContextManager(manager);
    try {
      injectContext(api, headers);
    } finally {
      api.context.disable();
    }
    expect(headers.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  });
});
