import { storeSettingsFromEnv, type StoreSettings } from 'example-support';

/** Where the fitness service finds its servers: the same variables the project's tests use, with local defaults. */
export interface FitnessConfig {
  brokers: string[];
  /** Which state store (`STORE=postgres|cassandra|mongo`) and where its server is. */
  store: StoreSettings;
  /** Service name: topic `<name>.events`, group `<name>.self`. */
  serviceName: string;
  /** The store's namespace: the Postgres schema, Cassandra keyspace or MongoDB database. */
  namespace: string;
  port: number;
  /** Longest wait of GET /users/:id/health for a consistency token. */
  readWaitMs: number;
  /** Longest wait for the broker's ack of an upload before the request fails with 503. */
  sendTimeoutMs: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): FitnessConfig {
  return {
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').filter(Boolean),
    store: storeSettingsFromEnv(env),
    serviceName: env.FITNESS_SERVICE_NAME ?? 'fitness',
    namespace: env.FITNESS_NAMESPACE ?? 'fitness',
    port: Number(env.PORT ?? 3100),
    readWaitMs: Number(env.READ_WAIT_MS ?? 2000),
    sendTimeoutMs: Number(env.SEND_TIMEOUT_MS ?? 30_000),
  };
}
