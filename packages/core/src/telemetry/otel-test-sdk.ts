import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

/** A reader the test collects from when it likes. */
class PullReader extends MetricReader {
  protected override onShutdown = async (): Promise<void> => undefined;
  protected override onForceFlush = async (): Promise<void> => undefined;
}

/** The real OpenTelemetry SDK, registered globally, with its spans kept in memory and metrics read on demand. */
export function testSdk() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new PullReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    spans: (): ReadableSpan[] => exporter.getFinishedSpans(),
    /** Every metric by name, as one collection reads them. */
    async metrics(): Promise<Map<string, MetricData>> {
      const { resourceMetrics } = await reader.collect();
      const out = new Map<string, MetricData>();
      for (const scope of resourceMetrics.scopeMetrics)
        for (const m of scope.metrics) out.set(m.descriptor.name, m);
      return out;
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      trace.disable();
      metrics.disable();
      context.disable();
    },
  };
}

/** The sum of a metric's data points whose attributes include `where`. */
export function sumOf(metric: MetricData | undefined, where: Record<string, string> = {}): number {
  if (!metric) return 0;
  let total = 0;
  for (const p of metric.dataPoints as DataPoint<number | Histogram>[]) {
    if (!Object.entries(where).every(([k, v]) => p.attributes[k] === v)) continue;
    total += typeof p.value === 'number' ? p.value : p.value.count;
  }
  return total;
}
