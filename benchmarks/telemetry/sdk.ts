// The OpenTelemetry SDK as an application would register it, exporting nowhere: spans are recorded, batched and
// handed to an exporter that counts and drops them; metrics are collected every second and dropped.
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';

const SUCCESS = 0; // ExportResultCode.SUCCESS

/** Registers the providers globally; `off()` flushes, shuts them down and unregisters them. */
export function telemetryOn() {
  let spans = 0;
  let collections = 0;
  const spanExporter: SpanExporter = {
    export: (batch, done) => ((spans += batch.length), done({ code: SUCCESS })),
    shutdown: async () => undefined,
  };
  const metricExporter: PushMetricExporter = {
    export: (_m, done) => (collections++, done({ code: SUCCESS })),
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(spanExporter, { maxQueueSize: 65_536 })],
  });
  const meterProvider = new MeterProvider({
    readers: [new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 1000 })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    async off(): Promise<{ spans: number; collections: number }> {
      await tracerProvider.forceFlush();
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
      trace.disable();
      metrics.disable();
      context.disable();
      return { spans, collections };
    },
  };
}
