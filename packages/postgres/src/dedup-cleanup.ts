import type { Pool } from 'pg';
import type { PostgresTables } from './tables';
import { poolQuery } from './transaction';

/**
 * Deletes event ids recorded longer ago than the window, `batchSize` rows per statement (by ctid, so each DELETE
 * is a short transaction), until none are left. Returns how many rows it deleted.
 */
export async function deleteExpiredEventIds(
  pool: Pool,
  tables: PostgresTables,
  windowMs: number,
  batchSize: number,
): Promise<number> {
  const sql = `DELETE FROM ${tables.appliedEvents} WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM ${tables.appliedEvents}
    WHERE applied_at < now() - $1::float8 * interval '1 millisecond' LIMIT $2))`;
  let total = 0;
  for (;;) {
    const { rowCount } = await poolQuery(pool, 'dedup cleanup', sql, [windowMs, batchSize]);
    total += rowCount;
    if (rowCount < batchSize) return total;
  }
}

/** A background job that runs the cleanup every `intervalMs`, one run at a time. */
export interface CleanupTimer {
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/** Starts the periodic cleanup. The timer is unref'd: it never keeps a process alive. */
export function startCleanupTimer(
  intervalMs: number,
  run: () => Promise<unknown>,
  onError: (err: unknown) => void,
): CleanupTimer {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = run()
      .then(
        () => undefined,
        (err: unknown) => onError(err),
      )
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
