import { createService, type Logger, type Service, type StateStore } from '@listen-to-yourself/core';
import { startOnStore, type RunningService } from 'example-support';
import type { OrderServiceConfig } from './config';
import { CancelOrder, CreateOrder } from './domain';
import { CreditEntity } from './credit';
import { OrderEntity } from './handlers';
import { legacyRefusals } from './refusals';

export type Running = RunningService;

// #region service
/**
 * The order service: takes commands, produces events, and applies its own events to the store `STORE` names
 * (Postgres, Cassandra or MongoDB: the same code on each). It also listens to the legacy service: a refusal there
 * becomes its own OrderRejected.
 */
export async function startOrderService(config: OrderServiceConfig, logger?: Logger): Promise<Running> {
  return startOnStore(config.store, config.schema, (store) => orderService(config, store, logger));
}

/** The service, not started: nothing connects until `start()` (the catalog script reads it as it is). */
export function orderService(config: OrderServiceConfig, store: StateStore, logger?: Logger): Service {
  return createService({
    name: config.serviceName,
    kafka: { brokers: config.brokers, sendTimeoutMs: config.sendTimeoutMs },
    store,
    commands: [CreateOrder, CancelOrder],
    entities: [OrderEntity, CreditEntity],
    handlers: [legacyRefusals({ group: `${config.serviceName}.legacy`, legacyTopic: config.legacyTopic })],
    // The legacy system reads this topic: a reused Idempotency-Key with other input is refused before anything
    // reaches it, whichever instance took the first request (one store read per new key).
    idempotencyReadOnSend: true,
    ...(logger ? { logger } : {}),
  });
}
// #endregion service
