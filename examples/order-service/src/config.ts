import { storeSettingsFromEnv, type StoreSettings } from 'example-support';

/** Where the example finds its servers: the same variables the project's tests use, with local defaults. */
export interface OrderServiceConfig {
  brokers: string[];
  /** Which state store (`STORE=postgres|cassandra|mongo`) and where its server is. */
  store: StoreSettings;
  /** Service name: topic `<name>.events`, groups `<name>.self` and `<name>.legacy` (on the legacy topic). */
  serviceName: string;
  /** The state store's namespace: the Postgres schema, Cassandra keyspace or MongoDB database. */
  schema: string;
  /** The legacy service's topic, where its refusals come from: `<LEGACY_SERVICE_NAME>.events`. */
  legacyTopic: string;
  port: number;
  /** Longest wait of GET /orders/:id for a consistency token. */
  readWaitMs: number;
  /**
   * Longest wait for the broker's ack of a command's events before the request fails with 503 (a broker outage
   * fails requests after this long). The transport's own default is 30 s.
   */
  sendTimeoutMs: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): OrderServiceConfig {
  return {
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').filter(Boolean),
    store: storeSettingsFromEnv(env),
    serviceName: env.ORDER_SERVICE_NAME ?? 'orders',
    schema: env.ORDER_SERVICE_SCHEMA ?? 'orders',
    legacyTopic: `${env.LEGACY_SERVICE_NAME ?? 'legacy'}.events`,
    port: Number(env.PORT ?? 3000),
    readWaitMs: Number(env.READ_WAIT_MS ?? 2000),
    sendTimeoutMs: Number(env.SEND_TIMEOUT_MS ?? 30_000),
  };
}
