// Helpers for this package's *.int.spec.ts files; not part of the public API.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';
import { serviceConfig } from '../../../scripts/services/service-config.mjs';

/** The Postgres the integration tests use (POSTGRES_URL, or the one `pnpm services up postgres` starts). */
export const postgresUrl: string = serviceConfig().postgresUrl;

/**
 * A schema name no other run uses, dropped (with everything in it) after the test file, plus an admin pool
 * for the file's own queries, ended after the file.
 */
export function freshSchema(label: string): { schema: string; admin: pg.Pool } {
  const schema = `lty_test_${label}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Pool({ connectionString: postgresUrl, max: 4 });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });
  return { schema, admin };
}
