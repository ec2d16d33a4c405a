import { consoleLogger } from '@listen-to-yourself/core';
import { serveUntilSignal } from 'example-support';
import { buildApp } from './app';
import { configFromEnv } from './config';
import { startFitnessService } from './service';

const config = configFromEnv();
const running = await startFitnessService(config, consoleLogger('warn'));
await serveUntilSignal(
  buildApp(running.service, { readWaitMs: config.readWaitMs }),
  running,
  config.port,
  `fitness service listening on http://127.0.0.1:${config.port} (topic ${running.service.topic}, ${running.where})`,
);
