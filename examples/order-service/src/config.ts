/** Where the example finds its servers: the same variables the project's tests use, with local defaults. */
export interface OrderServiceConfig {
  brokers: string[];
  postgresUrl: string;
  /** Service name: topic `<name>.events`, groups `<name>.self` and `<name>.legacy` (on the legacy topic). */
  serviceName: string;
  /** Postgres schema of the state store. */
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
    postgresUrl: env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    serviceName: env.ORDER_SERVICE_NAME ?? 'orders',
    schema: env.ORDER_SERVICE_SCHEMA ?? 'orders',
    legacyTopic: `${env.LEGACY_SERVICE_NAME ?? 'legacy'}.events`,
    port: Number(env.PORT ?? 3000),
    readWaitMs: Number(env.READ_WAIT_MS ?? 2000),
    sendTimeoutMs: Number(env.SEND_TIMEOUT_MS ?? 30_000),
  };
}
