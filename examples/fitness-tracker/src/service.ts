import { cassandraStateStore } from '@listen-to-yourself/cassandra';
import { createService, type Service, type StateStore } from '@listen-to-yourself/core';
import { LogWorkout, SyncDevice, fitnessHandlers } from './domain';

export interface FitnessConfig {
  brokers: string[];
  contactPoints: string[];
  localDataCenter: string;
  serviceName: string;
  keyspace: string;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): FitnessConfig {
  return {
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').filter(Boolean),
    contactPoints: (env.CASSANDRA_CONTACT_POINTS ?? '127.0.0.1:9042').split(',').filter(Boolean),
    localDataCenter: env.CASSANDRA_LOCAL_DC ?? 'datacenter1',
    serviceName: env.FITNESS_SERVICE_NAME ?? 'fitness',
    keyspace: env.FITNESS_KEYSPACE ?? 'fitness',
  };
}

/** The fitness service: commands in, events to Kafka, profiles applied to Cassandra. */
export async function startFitnessService(
  config: FitnessConfig,
): Promise<{ service: Service; close(): Promise<void> }> {
  const store = cassandraStateStore(
    { contactPoints: config.contactPoints, localDataCenter: config.localDataCenter },
    { keyspace: config.keyspace },
  );
  const service = fitnessService(config, store);
  await service.start();
  return {
    service,
    close: async () => {
      await service.stop();
      await store.close();
    },
  };
}

/** The service, not started: nothing connects until `start()` (the catalog script reads it as it is). */
export function fitnessService(config: FitnessConfig, store: StateStore): Service {
  return createService({
    name: config.serviceName,
    kafka: { brokers: config.brokers },
    store,
    commands: [SyncDevice, LogWorkout],
    handlers: fitnessHandlers,
    topic: { partitions: 4 },
  });
}
