import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStateStore } from '../postgres-state-store';
import { freshSchema, postgresUrl } from '../test-helpers';
import { CRASH_TYPE, crashChanges, type CrashPlan, type CrashState } from './crash-changes';

const { schema, admin } = freshSchema('crash');
const store = postgresStateStore({ pool: admin }, { schema, maxBatchSize: 1000 });
const sideTable = `"${schema}".side_effects`;
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const childScript = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

beforeAll(async () => {
  await store.init();
  await admin.query(`CREATE TABLE ${sideTable} (event_id text PRIMARY KEY)`);
});
afterAll(() => store.close());

/** Starts the child on a plan; `waitFor(line)` resolves when it prints that line, `kill()` SIGKILLs it. */
function startChild(plan: CrashPlan, maxBatchSize: number) {
  const url = new URL(postgresUrl);
  url.searchParams.set('application_name', `lty-crash-${plan.runId}`);
  const child = spawn(
    process.execPath,
    ['--conditions=@listen-to-yourself/source', '--import', 'tsx', childScript],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        LTY_CRASH_PLAN: JSON.stringify({ ...plan, connectionString: url.toString(), schema, maxBatchSize }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const seen = new Set<string>();
  const waiters = new Map<string, () => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    seen.add(line);
    waiters.get(line)?.();
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  return {
    exited,
    waitFor: (line: string) =>
      Promise.race([
        new Promise<void>((resolve) => (seen.has(line) ? resolve() : waiters.set(line, resolve))),
        exited.then((how) =>
          Promise.reject(new Error(`child exited (${String(how)}) before ${line}: ${stderr}`)),
        ),
      ]),
    kill: async () => {
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
    },
  };
}

/** Waits until the killed child's backend has gone (Postgres noticed the closed socket and rolled back). */
async function backendGone(plan: CrashPlan): Promise<void> {
  await expect
    .poll(
      async () => {
        const { rows } = await admin.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
          [`lty-crash-${plan.runId}`],
        );
        return rows[0]!.n;
      },
      { timeout: 30_000 },
    )
    .toBe(0);
}

/** What the run left: committed event indexes, entity rows (placeholders included) and side-table rows. */
async function committed(plan: CrashPlan) {
  const like = `${plan.runId}-%`;
  const ids = await admin.query<{ event_id: string }>(
    `SELECT event_id FROM ${store.tables.appliedEvents} WHERE entity_type = $1 AND entity_id LIKE $2`,
    [CRASH_TYPE, like],
  );
  const entities = await admin.query<{ entity_id: string; state: CrashState; version: string }>(
    `SELECT entity_id, state, version FROM ${store.tables.entities} WHERE entity_type = $1 AND entity_id LIKE $2`,
    [CRASH_TYPE, like],
  );
  const side = await admin.query(`SELECT 1 FROM ${sideTable} WHERE event_id LIKE $1`, [like]);
  const indexes = ids.rows.map((r) => Number(r.event_id.slice(plan.runId.length + 1))).sort((a, b) => a - b);
  return { indexes, entities: entities.rows, sideRows: side.rowCount ?? 0 };
}

/** Applies every change again: the committed ones come back as duplicates, the others are applied once. */
async function reapply(plan: CrashPlan, committedCount: number): Promise<void> {
  const results = await store.applyBatch(crashChanges(plan));
  expect(results.slice(0, committedCount).every((r) => r.status === 'duplicate')).toBe(true);
  expect(results.slice(committedCount).every((r) => r.status === 'applied')).toBe(true);
  const after = await committed(plan);
  expect(after.indexes).toHaveLength(plan.count);
  expect(after.sideRows).toBe(plan.count / 10);
  const perEntity = plan.count / plan.entities;
  for (const row of after.entities) {
    expect(row.state.count).toBe(perEntity);
    expect(Number(row.version)).toBe(perEntity);
  }
  expect((await store.applyBatch(crashChanges(plan))).every((r) => r.status === 'duplicate')).toBe(true);
}

// Generous: the child compiles core's sources with tsx at start, which takes seconds on a busy machine.
const timeout = 180_000;

describe('a process SIGKILLed in the middle of applyBatch', () => {
  it(
    'one transaction: nothing of the batch is visible, and applying it again applies each change once',
    { timeout },
    async () => {
      const plan: CrashPlan = {
        runId: `a${randomUUID().slice(0, 8)}`,
        count: 5000,
        entities: 250,
        sideTable,
        stallAt: 3000,
      };
      const child = startChild(plan, 5000);
      // Change 3000's update has run its SQL and waits: 3000 updates and 300 side rows are in the open transaction.
      await child.waitFor('STALLED');
      await child.kill();
      await backendGone(plan);

      expect(await committed(plan)).toEqual({ indexes: [], entities: [], sideRows: 0 });
      await reapply(plan, 0);
    },
  );

  it(
    'many transactions, killed at a random moment: a prefix of whole transactions is visible',
    { timeout },
    async () => {
      const plan: CrashPlan = {
        runId: `b${randomUUID().slice(0, 8)}`,
        count: 20_000,
        entities: 500,
        sideTable,
      };
      const chunk = 1000;
      const child = startChild(plan, chunk);
      await child.waitFor('STARTED');
      // Kill at a random moment after a random number (1 to 12) of the 20 transactions committed.
      const target = chunk * (1 + Math.floor(Math.random() * 12));
      await expect
        .poll(async () => (await committed(plan)).indexes.length, { timeout: 120_000, interval: 5 })
        .toBeGreaterThanOrEqual(target);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 200));
      await child.kill();
      await backendGone(plan);

      const { indexes, entities, sideRows } = await committed(plan);
      const n = indexes.length;
      console.info(`killed after ${n} of ${plan.count} changes (${n / chunk} transactions) had committed`);
      expect(n % chunk).toBe(0);
      expect(n).toBeLessThan(plan.count);
      expect(indexes).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(sideRows).toBe(n / 10);
      // Every entity row shows exactly its share of the committed prefix, last change included.
      for (const row of entities.filter((r) => Number(r.version) > 0)) {
        const entity = Number(row.entity_id.slice(plan.runId.length + 1));
        const mine = indexes.filter((i) => i % plan.entities === entity);
        expect(row.state).toEqual({ count: mine.length, last: mine.at(-1) });
        expect(Number(row.version)).toBe(mine.length);
      }
      await reapply(plan, n);
    },
  );
});
