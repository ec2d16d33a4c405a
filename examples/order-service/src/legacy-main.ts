import { consoleLogger } from '@listen-to-yourself/core';
import { configFromEnv } from './config';
import { startLegacyHandler } from './service';

const config = configFromEnv();
const running = await startLegacyHandler(config, consoleLogger('warn'));
console.log(`legacy handler consuming ${running.service.topic} in group ${config.serviceName}.legacy`);

const stop = async () => {
  await running.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
