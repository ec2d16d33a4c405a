import { consoleLogger } from '@listen-to-yourself/core';
import { serveUntilSignal } from 'example-support';
import { buildApp } from './app';
import { configFromEnv } from './config';
import { prometheusMetrics } from './metrics';
import { startOrderService } from './service';

const config = configFromEnv();
// Before the service starts: it takes the meter provider registered by then.
const telemetry = prometheusMetrics();
const running = await startOrderService(config, consoleLogger('warn'));
const app = buildApp(running.service, { readWaitMs: config.readWaitMs });
telemetry.route(app);
await serveUntilSignal(
  app,
  running,
  config.port,
  `order service listening on http://127.0.0.1:${config.port} (topic ${running.service.topic}, ${running.where})`,
  () => telemetry.shutdown(),
);
