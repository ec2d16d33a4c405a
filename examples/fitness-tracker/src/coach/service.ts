import { createService, type Logger, type Service, type StateStore } from '@listen-to-yourself/core';
import { startOnStore, type RunningService } from 'example-support';
import type { CoachConfig } from './config';
import { CoachingEntity, coachHandlers } from './handlers';

export type RunningCoach = RunningService;

// #region coach-service
/** The coach: no commands; it reads the fitness service's announcements and keeps notifications in its store. */
export async function startCoachService(
  config: CoachConfig,
  logger?: Logger,
  onRead?: (line: string) => void,
): Promise<RunningCoach> {
  return startOnStore(config.store, config.namespace, (store) => coachService(config, store, logger, onRead));
}

/** The service, not started (the catalog script reads it as it is). */
export function coachService(
  config: CoachConfig,
  store: StateStore,
  logger?: Logger,
  onRead?: (line: string) => void,
): Service {
  return createService({
    name: config.serviceName,
    kafka: { brokers: config.brokers },
    store,
    entities: [CoachingEntity],
    handlers: coachHandlers({
      group: `${config.serviceName}.fitness`,
      fitnessTopic: config.fitnessTopic,
      ...(onRead ? { onRead } : {}),
    }),
    ...(logger ? { logger } : {}),
  });
}
// #endregion coach-service
