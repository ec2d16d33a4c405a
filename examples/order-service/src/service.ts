import { createService, type Logger, type Service } from '@listen-to-yourself/core';
import { postgresStateStore } from '@listen-to-yourself/postgres';
import pg from 'pg';
import type { OrderServiceConfig } from './config';
import { CancelOrder, CreateOrder } from './domain';
import { orderHandlers } from './handlers';
import { legacyRefusals } from './refusals';

export interface Running {
  service: Service;
  pool: pg.Pool;
  close(): Promise<void>;
}

// #region service
/**
 * The order service: takes commands, produces events, and applies its own events to Postgres. It also listens to
 * the legacy service: a refusal there becomes its own OrderRejected.
 */
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
    handlers: [
      ...orderHandlers,
      legacyRefusals({ group: `${config.serviceName}.legacy`, legacyTopic: config.legacyTopic }),
    ],
    // The legacy system reads this topic: a reused Idempotency-Key with other input is refused before anything
    // reaches it, whichever instance took the first request (one store read per new key).
    idempotencyReadOnSend: true,
    ...(logger ? { logger } : {}),
  });
}
// #endregion service

// An idle client whose connection the database closes (a restart, a failover) emits 'error' on the pool; without a
// listener that crashes the process. The pool drops that client and connects a new one on the next checkout.
function keepAliveOnIdleErrors(pool: pg.Pool, logger?: Logger): void {
  pool.on('error', (err) => logger?.warn('idle postgres connection lost', { error: err.message }));
}
