import cassandra from 'cassandra-driver';
import type { Client } from 'cassandra-driver';
import { ConfigError } from '@listen-to-yourself/core';

/**
 * The part of cassandra-driver's `Client` the store uses. A real `Client` fits; so does a wrapper (for example
 * one that injects faults in tests).
 */
export type CqlClient = Pick<Client, 'execute' | 'batch' | 'shutdown'>;

/**
 * Where the store writes. Pass `client` and you keep ownership: `close()` leaves it open. Pass contact points and
 * the store creates the client and shuts it down on `close()`. `keyspace` here is a shorthand for the `keyspace`
 * option (giving both with different values is a ConfigError); the client itself is not bound to it, because the
 * keyspace does not exist before `init()`.
 */
export type CassandraConnection =
  | { readonly client: CqlClient }
  | {
      readonly contactPoints: readonly string[];
      readonly localDataCenter: string;
      readonly keyspace?: string;
    };

/** The client to use, whether the store owns it, and the keyspace named by the connection (if any). */
export function openClient(connection: CassandraConnection): {
  client: CqlClient;
  owned: boolean;
  keyspace: string | undefined;
} {
  if ('client' in connection) return { client: connection.client, owned: false, keyspace: undefined };
  const { contactPoints, localDataCenter, keyspace } = connection;
  if (!contactPoints?.length || !localDataCenter) {
    throw new ConfigError('cassandraStateStore connection', [
      'give { client } or { contactPoints: [at least one], localDataCenter }',
    ]);
  }
  // The driver connects lazily on the first query, so creating the client here does no I/O.
  const client = new cassandra.Client({ contactPoints: [...contactPoints], localDataCenter });
  return { client, owned: true, keyspace };
}
