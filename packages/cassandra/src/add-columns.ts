import type { CqlClient } from './connection';
import type { ResolvedCassandraOptions } from './options';
import { ADDED_COLUMNS } from './schema';

/**
 * Adds the columns a table created by an earlier release lacks. `CREATE TABLE IF NOT EXISTS` leaves an existing
 * table as it is, and `ALTER TABLE ADD` fails for a column that exists, so ask the schema first. Two instances
 * adding the same column at once: the loser's error is ignored when the column is there afterwards.
 */
export async function addMissingColumns(client: CqlClient, opts: ResolvedCassandraOptions): Promise<void> {
  const present = async () => {
    const rs = await client.execute(
      'SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
      [opts.keyspace, opts.table],
      { prepare: true },
    );
    return new Set(rs.rows.map((r) => String(r['column_name'])));
  };
  const have = await present();
  for (const [name, type] of Object.entries(ADDED_COLUMNS)) {
    if (have.has(name)) continue;
    try {
      await client.execute(`ALTER TABLE ${opts.keyspace}.${opts.table} ADD ${name} ${type}`);
    } catch (err) {
      if (!(await present()).has(name)) throw err;
    }
  }
}
