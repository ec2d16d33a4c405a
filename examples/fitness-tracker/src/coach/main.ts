import { consoleLogger } from '@listen-to-yourself/core';
import { serveUntilSignal } from 'example-support';
import { buildCoachApp } from './app';
import { coachConfigFromEnv } from './config';
import { startCoachService } from './service';

const config = coachConfigFromEnv();
// The coach prints each announcement it reads (the demo shows them).
const running = await startCoachService(config, consoleLogger('warn'), (line) => console.log(line));
await serveUntilSignal(
  buildCoachApp(running.service),
  running,
  config.port,
  `coach listening on http://127.0.0.1:${config.port}, subscribed to ${config.fitnessTopic} in group ${config.serviceName}.fitness (${running.where})`,
);
