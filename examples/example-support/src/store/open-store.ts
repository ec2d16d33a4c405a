import { cassandraStateStore } from '@listen-to-yourself/cassandra';
import type { StateStore } from '@listen-to-yourself/core';
import { mongoStateStore } from '@listen-to-yourself/mongo';
import { postgresStateStore } from '@listen-to-yourself/postgres';
import type { StoreSettings } from './settings';

/** A state store the caller closes with `store.close()`, which also closes the connection it opened. */
export interface OpenedStore {
  readonly kind: StoreSettings['kind'];
  readonly store: StateStore;
  /** Where its data lives, in the store's own words (for logs and demos). */
  readonly where: string;
}

/**
 * The service's state store. `namespace` is the Postgres schema, the Cassandra keyspace or the MongoDB database:
 * one name per service, so services sharing a server never share tables. Nothing connects before `init()`
 * (service.start() calls it), so a catalog script may build a service with it and never start it.
 */
export function openStore(settings: StoreSettings, namespace: string): OpenedStore {
  switch (settings.kind) {
    case 'postgres':
      return {
        kind: 'postgres',
        store: postgresStateStore({ connectionString: settings.postgresUrl }, { schema: namespace }),
        where: `Postgres schema ${namespace}`,
      };
    case 'cassandra':
      return {
        kind: 'cassandra',
        store: cassandraStateStore(
          {
            contactPoints: settings.cassandraContactPoints,
            localDataCenter: settings.cassandraLocalDataCenter,
          },
          { keyspace: namespace },
        ),
        where: `Cassandra keyspace ${namespace}`,
      };
    case 'mongo':
      return {
        kind: 'mongo',
        store: mongoStateStore({ url: settings.mongoUrl, dbName: namespace }),
        where: `MongoDB database ${namespace}`,
      };
  }
}
