import { createService, type Logger, type Service } from '@listen-to-yourself/core';
import { LegacyOrderRefused } from 'order-contracts';
import pg from 'pg';
import type { LegacyServiceConfig } from './config';
import { createLegacyTable, legacyHandlers } from './handlers';

export interface RunningLegacy {
  service: Service;
  pool: pg.Pool;
  close(): Promise<void>;
}

// #region legacy-service
/**
 * The legacy service: a subscriber-only service (no commands). It reads the order service's topic in its own
 * group, writes its own database, and publishes its refusals on its own topic, `<name>.events`.
 */
export async function startLegacyService(
  config: LegacyServiceConfig,
  logger?: Logger,
): Promise<RunningLegacy> {
  const pool = new pg.Pool({ connectionString: config.postgresUrl, max: 4 });
  pool.on('error', (err) => logger?.warn('idle postgres connection lost', { error: err.message }));
  await createLegacyTable(pool, config.schema);
  const service = legacyService(config, pool, logger);
  await service.start();
  return { service, pool, close: async () => (await service.stop(), await pool.end()) };
}

/** The service, not started: nothing connects until `start()` (the catalog script reads it as it is). */
export function legacyService(config: LegacyServiceConfig, pool: pg.Pool, logger?: Logger): Service {
  return createService({
    name: config.serviceName,
    kafka: { brokers: config.brokers },
    handlers: legacyHandlers(pool, config.schema, {
      group: `${config.serviceName}.orders`,
      ordersTopic: config.ordersTopic,
    }),
    // What it publishes, so a registry codec checks the schema at start.
    events: [LegacyOrderRefused],
    ...(logger ? { logger } : {}),
  });
}
// #endregion legacy-service
