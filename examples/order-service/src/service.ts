import { createService, type Logger, type Service } from '@listen-to-yourself/core';
import { postgresStateStore } from '@listen-to-yourself/postgres';
import pg from 'pg';
import type { OrderServiceConfig } from './config';
import { CancelOrder, CreateOrder } from './domain';
import { orderHandlers } from './handlers';
import { createLegacyTable, legacyHandlers } from './legacy';

export interface Running {
  service: Service;
  pool: pg.Pool;
  close(): Promise<void>;
}

// #region service
/** The order service: takes commands, produces events, and applies its own events to Postgres. */
export async function startOrderService(config: OrderServiceConfig, logger?: Logger): Promise<Running> {
  const pool = new pg.Pool({ connectionString: config.postgresUrl, max: 10 });
  keepAliveOnIdleErrors(pool, logger);
  const service = orderService(config, pool, logger);
  await service.start();
  return { service, pool, close: async () => (await service.stop(), await pool.end()) };
}

/** The service, not started: nothing connects until `start()` (the catalog script reads it as it is). */
export function orderService(config: OrderServiceConfig, pool: pg.Pool, logger?: Logger): Service {
  return createService({
    name: config.serviceName,
    kafka: { brokers: config.brokers, sendTimeoutMs: config.sendTimeoutMs },
    store: postgresStateStore({ pool }, { schema: config.schema }),
    commands: [CreateOrder, CancelOrder],
    handlers: orderHandlers,
    // The legacy system reads this topic: a reused Idempotency-Key with other input is refused before anything
    // reaches it, whichever instance took the first request (one store read per new key).
    idempotencyReadOnSend: true,
    ...(logger ? { logger } : {}),
  });
}
// #endregion service

/** The legacy handler: same topic, its own consumer group, no commands and no state store of ours. */
export async function startLegacyHandler(config: OrderServiceConfig, logger?: Logger): Promise<Running> {
  const pool = new pg.Pool({ connectionString: config.postgresUrl, max: 4 });
  keepAliveOnIdleErrors(pool, logger);
  await createLegacyTable(pool, config.schema);
  const service = legacyHandler(config, pool, logger);
  await service.start();
  return { service, pool, close: async () => (await service.stop(), await pool.end()) };
}

/** The legacy handler, not started. */
export function legacyHandler(config: OrderServiceConfig, pool: pg.Pool, logger?: Logger): Service {
  return createService({
    name: config.serviceName,
    kafka: { brokers: config.brokers, clientId: `${config.serviceName}-legacy` },
    handlers: legacyHandlers(pool, config.schema, `${config.serviceName}.legacy`),
    ...(logger ? { logger } : {}),
  });
}

// An idle client whose connection the database closes (a restart, a failover) emits 'error' on the pool; without a
// listener that crashes the process. The pool drops that client and connects a new one on the next checkout.
function keepAliveOnIdleErrors(pool: pg.Pool, logger?: Logger): void {
  pool.on('error', (err) => logger?.warn('idle postgres connection lost', { error: err.message }));
}
