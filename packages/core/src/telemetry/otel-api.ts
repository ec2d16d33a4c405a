import type * as OtelApi from '@opentelemetry/api';

/** The OpenTelemetry API module, as the application installed it. */
export type Otel = typeof OtelApi;

let api: Otel | undefined;

// An optional peer dependency: loaded once, and telemetry stays off (every call a no-op) when it is not installed.
const loading: Promise<void> = import('@opentelemetry/api').then(
  (m) => {
    // Node's ESM loader may expose a CommonJS module's exports only as `default`.
    const mod = m as Otel & { default?: Otel };
    api = typeof mod.ProxyTracerProvider === 'function' ? mod : mod.default;
  },
  () => undefined,
);

/** The OpenTelemetry API, or undefined while it loads or when it is not installed. */
export function otel(): Otel | undefined {
  return api;
}

/** Resolves once the API is loaded or known to be absent. */
export function otelLoaded(): Promise<void> {
  return loading;
}
