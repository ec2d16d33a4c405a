// Where the tests and scripts find each service: the environment variable when set, else the local default
// that `pnpm services up` starts.
export function serviceConfig(env = process.env) {
  return {
    kafkaBrokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    postgresUrl: env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    cassandraContactPoints: (env.CASSANDRA_CONTACT_POINTS ?? '127.0.0.1:9042')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    cassandraLocalDataCenter: env.CASSANDRA_LOCAL_DC ?? 'datacenter1',
    mongoUrl: env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/',
    schemaRegistryUrl: env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
  };
}
