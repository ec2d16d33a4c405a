import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { FastifyInstance } from 'fastify';

// #region prometheus-metrics
/**
 * Registers the process's OpenTelemetry meter provider, read by a Prometheus exporter that answers on the
 * application's own HTTP server: `route(app)` adds `GET /metrics` (the Prometheus text format). Call it before
 * `service.start()`, which takes the meter provider registered by then. Copy this file into another service.
 */
export function prometheusMetrics() {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter] });
  metrics.setGlobalMeterProvider(provider);
  return {
    route(app: FastifyInstance): void {
      app.get('/metrics', (req, reply) => {
        // The exporter writes the response itself.
        void reply.hijack();
        exporter.getMetricsRequestHandler(req.raw, reply.raw);
      });
    },
    async shutdown(): Promise<void> {
      await provider.shutdown();
      metrics.disable();
    },
  };
}
// #endregion prometheus-metrics
