import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceConfig } from '../../scripts/services/service-config.mjs';

describe('postgres smoke', () => {
  const client = new pg.Client({ connectionString: serviceConfig().postgresUrl });
  const table = `smoke_${process.pid}_${Date.now()}`;
  beforeAll(() => client.connect());
  afterAll(async () => {
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.end();
  });

  it('writes and reads a row, and reports a unique violation as 23505', async () => {
    await client.query(`CREATE TABLE ${table} (id text PRIMARY KEY, n int NOT NULL)`);
    await client.query(`INSERT INTO ${table} VALUES ($1, $2)`, ['a', 41]);
    const { rows } = await client.query<{ n: number }>(`SELECT n + 1 AS n FROM ${table} WHERE id = $1`, [
      'a',
    ]);
    expect(rows).toEqual([{ n: 42 }]);
    await expect(client.query(`INSERT INTO ${table} VALUES ('a', 1)`)).rejects.toMatchObject({
      code: '23505',
    });
  });
});
