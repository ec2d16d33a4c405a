import type { Pool, PoolClient } from 'pg';
import { fromUserCode, toStoreError } from './transient';

/** Carries an error thrown by user code (a change's `update`) through the store's error mapping, untouched. */
export class UserCodeError extends Error {
  constructor(readonly error: unknown) {
    super('user code failed');
  }
}

// A connection that drops between two queries makes the client emit 'error'; with no listener that event would
// crash the process. The next query fails anyway, and that failure is what we report.
const ignoreClientError = () => {};

/**
 * Runs `fn` in one transaction on a client of `pool`: BEGIN, `fn`, COMMIT, or ROLLBACK on any error. Errors
 * wrapped in {@link UserCodeError} are rethrown as they were (a database fault that heals, raised by a statement
 * of user code, as `TransientError`); faults that heal become `TransientError`. A client
 * whose rollback failed is destroyed instead of going back to the pool. When COMMIT itself is lost the outcome is
 * unknown; the caller retries and the dedup record tells what happened.
 */
export async function inTransaction<T>(
  pool: Pool,
  doing: string,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  return onClient(pool, doing, async (client) => {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  });
}

/**
 * Runs `body` on a client of `pool`, which must open and end the transaction itself; on any error the
 * transaction is rolled back (a harmless warning when none was open) and the error mapped as by
 * {@link inTransaction}.
 */
export async function onClient<T>(
  pool: Pool,
  doing: string,
  body: (client: PoolClient) => Promise<T>,
): Promise<T> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw toStoreError(err, `${doing} (connect)`);
  }
  client.on('error', ignoreClientError);
  let healthy = true;
  try {
    return await body(client);
  } catch (err) {
    healthy = await client.query('ROLLBACK').then(
      () => true,
      () => false,
    );
    throw err instanceof UserCodeError ? fromUserCode(err.error) : toStoreError(err, doing);
  } finally {
    client.off('error', ignoreClientError);
    client.release(!healthy);
  }
}

/** Runs one query on the pool outside any transaction, mapping faults that heal to `TransientError`. */
export async function poolQuery<R extends object>(
  pool: Pool,
  doing: string,
  text: string,
  values: unknown[],
): Promise<{ rows: R[]; rowCount: number }> {
  try {
    const result = await pool.query<R>(text, values);
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  } catch (err) {
    throw toStoreError(err, doing);
  }
}
