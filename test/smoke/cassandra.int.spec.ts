import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceConfig } from '../../scripts/services/service-config.mjs';

describe('cassandra smoke', () => {
  const cfg = serviceConfig();
  const client = new cassandra.Client({
    contactPoints: cfg.cassandraContactPoints,
    localDataCenter: cfg.cassandraLocalDataCenter,
  });
  const prepared = { prepare: true };
  const keyspace = `smoke_${process.pid}_${Date.now()}`;
  beforeAll(async () => {
    await client.connect();
    await client.execute(
      `CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
    );
    await client.execute(`CREATE TABLE ${keyspace}.items (id text PRIMARY KEY, n int)`);
  });
  afterAll(async () => {
    try {
      await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    } finally {
      await client.shutdown();
    }
  });

  it('writes and reads a row, and a conditional insert of an existing key is not applied', async () => {
    await client.execute(`INSERT INTO ${keyspace}.items (id, n) VALUES (?, ?)`, ['a', 41], prepared);
    const rs = await client.execute(`SELECT n FROM ${keyspace}.items WHERE id = ?`, ['a'], prepared);
    expect(rs.rows.map((r) => r['n'] as number)).toEqual([41]);

    const lwt = await client.execute(
      `INSERT INTO ${keyspace}.items (id, n) VALUES (?, ?) IF NOT EXISTS`,
      ['a', 1],
      prepared,
    );
    const row = lwt.first();
    expect(row['[applied]']).toBe(false);
    expect(row['n']).toBe(41); // the current row comes back with the refusal

    const fresh = await client.execute(
      `INSERT INTO ${keyspace}.items (id, n) VALUES (?, ?) IF NOT EXISTS`,
      ['b', 2],
      prepared,
    );
    expect(fresh.first()['[applied]']).toBe(true);
  });
});
