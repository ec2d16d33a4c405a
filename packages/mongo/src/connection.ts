import { MongoClient, type MongoClientOptions } from 'mongodb';
import { ConfigError } from '@listen-to-yourself/core';

/**
 * Where the store writes. Pass `client` and you keep ownership: `close()` leaves it open. Pass `url` (and, if
 * needed, driver options such as TLS or credentials) and the store creates the client, connecting on first use,
 * and closes it on `close()`.
 */
export type MongoConnection =
  | { readonly client: MongoClient; readonly dbName: string }
  | { readonly url: string; readonly dbName: string; readonly clientOptions?: MongoClientOptions };

/** The client to use and whether the store owns it. */
export function openClient(connection: MongoConnection): { client: MongoClient; owned: boolean } {
  if (!connection.dbName) throw new ConfigError('mongoStateStore connection', ['dbName: required']);
  if ('client' in connection) return { client: connection.client, owned: false };
  if (!connection.url)
    throw new ConfigError('mongoStateStore connection', ['give { client, dbName } or { url, dbName }']);
  // The driver connects on the first operation. A 10 s server selection timeout (the driver's is 30 s) turns an
  // unreachable server into a TransientError sooner; clientOptions may override it.
  const clientOptions = { serverSelectionTimeoutMS: 10_000, ...connection.clientOptions };
  return { client: new MongoClient(connection.url, clientOptions), owned: true };
}
