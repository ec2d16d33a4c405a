/** Where the legacy service finds its servers, and the name of the topic it subscribes to. */
export interface LegacyServiceConfig {
  brokers: string[];
  /** Its own database: in production another server than the order service's. */
  postgresUrl: string;
  /** Service name: topic `<name>.events`, group `<name>.orders` on the order service's topic. */
  serviceName: string;
  /** Postgres schema of its table. */
  schema: string;
  /** The order service's topic. */
  ordersTopic: string;
}

export function legacyConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LegacyServiceConfig {
  return {
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').filter(Boolean),
    postgresUrl: env.LEGACY_POSTGRES_URL ?? env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    serviceName: env.LEGACY_SERVICE_NAME ?? 'legacy',
    schema: env.LEGACY_SCHEMA ?? 'legacy',
    ordersTopic: `${env.ORDER_SERVICE_NAME ?? 'orders'}.events`,
  };
}
