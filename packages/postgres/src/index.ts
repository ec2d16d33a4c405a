// The public API of @listen-to-yourself/postgres, listed by hand: what is not here is internal.

export { postgresStateStore } from './postgres-state-store';
export type { PostgresStateStore } from './postgres-state-store';
export { postgresStateStoreDefaults } from './options';
export type { PostgresConnection, PostgresStateStoreOptions } from './options';
export type { PostgresTables } from './tables';
export { isTransientPgError } from './transient';
export { migrations } from './migrations';
export type { Migration } from './migrations';
