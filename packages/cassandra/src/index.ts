// The public API of @listen-to-yourself/cassandra, listed by hand: what is not here is internal.

export { cassandraStateStore } from './cassandra-state-store';
export type { CassandraConnection, CqlClient } from './connection';
export { cassandraStateStoreDefaults } from './options';
export type { CassandraStateStoreOptions } from './options';
export { isTransientCassandraError } from './errors';
