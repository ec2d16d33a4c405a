import pg from 'pg';

/** Ready when a real connection runs a query. */
export default async function probePostgres(cfg) {
  const client = new pg.Client({ connectionString: cfg.postgresUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    await client.end();
  }
}
