export interface ServiceConfig {
  kafkaBrokers: string[];
  postgresUrl: string;
  cassandraContactPoints: string[];
  cassandraLocalDataCenter: string;
  mongoUrl: string;
  schemaRegistryUrl: string;
}
export function serviceConfig(env?: Record<string, string | undefined>): ServiceConfig;
