import type { Pool, PoolClient } from 'pg';
import { sendTogether, type BoundStatement, type TextRow } from './pipeline';
import type { Statements } from './statements';
import { onClient } from './transaction';

/**
 * The apply path's transaction, in as few round trips as its statements allow: BEGIN travels with the first
 * statements and COMMIT with the last ones.
 */
export interface ApplyTransaction {
  /** The transaction's client, for the reducers' own SQL between `run` and `commit`. */
  readonly client: PoolClient;
  /** Runs `statements` in order in one round trip (the first call opens the transaction in it too). */
  run(statements: readonly BoundStatement[]): Promise<TextRow[][]>;
  /** Runs `statements`, then COMMIT, in one round trip. */
  commit(statements: readonly BoundStatement[]): Promise<void>;
}

/**
 * Runs `fn` in one transaction, as `inTransaction` does (same rollback and error mapping), committing after `fn`
 * when `fn` did not.
 */
export async function inApplyTransaction<T>(
  pool: Pool,
  doing: string,
  statement: Statements,
  fn: (tx: ApplyTransaction) => Promise<T>,
): Promise<T> {
  const begin: BoundStatement = { ...statement('BEGIN'), values: [] };
  const commit: BoundStatement = { ...statement('COMMIT'), values: [] };
  return onClient(pool, doing, async (client) => {
    let begun = false;
    let committed = false;
    const run = async (statements: readonly BoundStatement[]): Promise<TextRow[][]> => {
      if (begun) return statements.length > 0 ? sendTogether(client, statements) : [];
      begun = true;
      return (await sendTogether(client, [begin, ...statements])).slice(1);
    };
    const tx: ApplyTransaction = {
      client,
      run,
      async commit(statements) {
        committed = true;
        await run([...statements, commit]);
      },
    };
    const result = await fn(tx);
    if (!committed) await tx.commit([]);
    return result;
  });
}
