import { consoleLogger } from '@listen-to-yourself/core';
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
await app.listen({ host: '127.0.0.1', port: config.port });
console.log(`order service listening on http://127.0.0.1:${config.port} (topic ${running.service.topic})`);

// Stop taking requests, then drain the service: in-flight sends finish, applies commit, clients disconnect.
const stop = async () => {
  await app.close();
  await running.close();
  await telemetry.shutdown();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
