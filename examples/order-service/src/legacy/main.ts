import { consoleLogger } from '@listen-to-yourself/core';
import { legacyConfigFromEnv } from './config';
import { startLegacyService } from './service';

const config = legacyConfigFromEnv();
const running = await startLegacyService(config, consoleLogger('warn'));
console.log(
  `legacy service subscribed to ${config.ordersTopic} in group ${config.serviceName}.orders, publishing on ${running.service.topic}`,
);

const stop = async () => {
  await running.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
