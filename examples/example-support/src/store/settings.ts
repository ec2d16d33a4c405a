import { ConfigError } from '@listen-to-yourself/core';
import { z } from 'zod';

/** The stores an example service runs on, with the same code. */
export const STORE_KINDS = Object.freeze(['postgres', 'cassandra', 'mongo'] as const);
export type StoreKind = (typeof STORE_KINDS)[number];

/** Which store, and where each kind of server is: the same variables the project's tests use. */
export interface StoreSettings {
  /** `STORE`. @defaultValue 'postgres' */
  kind: StoreKind;
  /** `POSTGRES_URL`. @defaultValue 'postgres://postgres@127.0.0.1:5432/postgres' */
  postgresUrl: string;
  /** `CASSANDRA_CONTACT_POINTS`, comma-separated. @defaultValue ['127.0.0.1:9042'] */
  cassandraContactPoints: string[];
  /** `CASSANDRA_LOCAL_DC`. @defaultValue 'datacenter1' */
  cassandraLocalDataCenter: string;
  /** `MONGO_URL` (FerretDB or MongoDB). @defaultValue 'mongodb://127.0.0.1:27017/' */
  mongoUrl: string;
}

const kind = z.enum(STORE_KINDS);

/** Reads the settings; an unknown `STORE` is a ConfigError naming the ones there are. */
export function storeSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): StoreSettings {
  const parsed = kind.safeParse(env.STORE ?? 'postgres');
  if (!parsed.success) {
    throw new ConfigError('STORE', [`must be one of ${STORE_KINDS.join(', ')}; got ${String(env.STORE)}`]);
  }
  const list = (v: string) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return {
    kind: parsed.data,
    postgresUrl: env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    cassandraContactPoints: list(env.CASSANDRA_CONTACT_POINTS ?? '127.0.0.1:9042'),
    cassandraLocalDataCenter: env.CASSANDRA_LOCAL_DC ?? 'datacenter1',
    mongoUrl: env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/',
  };
}
