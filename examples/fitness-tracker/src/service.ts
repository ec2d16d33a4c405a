import { createService, type Logger, type Service, type StateStore } from '@listen-to-yourself/core';
import { startOnStore, type RunningService } from 'example-support';
import type { FitnessConfig } from './config';
import { HealthModelUpdated, SyncRefused } from './contracts';
import { HealthEntity } from './handlers';
import { SyncDevice } from './sync-command';

export type RunningFitness = RunningService;

// #region service
/** The fitness service: device uploads in, events to Kafka, health models applied to the store `STORE` names. */
export async function startFitnessService(config: FitnessConfig, logger?: Logger): Promise<RunningFitness> {
  return startOnStore(config.store, config.namespace, (store) => fitnessService(config, store, logger));
}

/** The service, not started: nothing connects until `start()` (the catalog script reads it as it is). */
export function fitnessService(config: FitnessConfig, store: StateStore, logger?: Logger): Service {
  return createService({
    name: config.serviceName,
    kafka: { brokers: config.brokers, sendTimeoutMs: config.sendTimeoutMs },
    store,
    commands: [SyncDevice],
    entities: [HealthEntity],
    // What its apply announces, so a registry codec checks their schemas at start.
    events: [HealthModelUpdated, SyncRefused],
    topic: { partitions: 4 },
    ...(logger ? { logger } : {}),
  });
}
// #endregion service
