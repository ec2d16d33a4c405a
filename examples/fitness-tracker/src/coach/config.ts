import { storeSettingsFromEnv, type StoreSettings } from 'example-support';

/** Where the coach finds its servers, and the fitness service's topic it reads. */
export interface CoachConfig {
  brokers: string[];
  /** Its own store, of the kind `STORE` names (its own namespace, in production its own server). */
  store: StoreSettings;
  /** Service name: topic `<name>.events`, groups `<name>.self` and `<name>.fitness` (on the fitness topic). */
  serviceName: string;
  namespace: string;
  /** The fitness service's topic: `<FITNESS_SERVICE_NAME>.events`. */
  fitnessTopic: string;
  port: number;
}

export function coachConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CoachConfig {
  return {
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').filter(Boolean),
    store: storeSettingsFromEnv(env),
    serviceName: env.COACH_SERVICE_NAME ?? 'coach',
    namespace: env.COACH_NAMESPACE ?? 'coach',
    fitnessTopic: `${env.FITNESS_SERVICE_NAME ?? 'fitness'}.events`,
    port: Number(env.COACH_PORT ?? 3101),
  };
}
