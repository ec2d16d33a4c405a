// The transaction frame both hand-written Postgres baselines use, as a user would write it once.
import type pg from 'pg';

/** Runs `work` in one transaction on a pooled client: committed when it resolves, rolled back when it throws. */
export async function inTransaction(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<void>,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await work(client);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
