import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

// A clone in a directory only its owner can enter (root's 0700 home, the natural place for a root user): the
// services script must still start Postgres, whose initdb and server run as the postgres user. A private cluster
// on its own port and state dir, stopped and removed after.
const repo = fileURLToPath(new URL('../..', import.meta.url));
const port = 5442;
const clone = mkdtempSync(join(tmpdir(), 'lty-0700-clone-'));
chmodSync(clone, 0o700);
const state = join(clone, '.services');
// Where the script may move the cluster: reachable by postgres, and removed after this file.
const pgHome = mkdtempSync(join(tmpdir(), 'lty-pg-home-'));
chmodSync(pgHome, 0o755);

function services(cmd: 'start' | 'stop' | 'paths') {
  const script = join(repo, 'scripts/services/pg-cluster.sh');
  const r = spawnSync('bash', [script, state, cmd, 'postgres', String(port)], {
    encoding: 'utf8',
    env: { ...process.env, LTY_PG_HOME: pgHome },
    timeout: 240_000,
  });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

afterAll(() => {
  services('stop');
  rmSync(clone, { recursive: true, force: true });
  rmSync(pgHome, { recursive: true, force: true });
});

describe('Postgres from a clone in a 0700 directory', () => {
  it('starts, answers queries and stops', { timeout: 300_000 }, async () => {
    expect(statSync(clone).mode & 0o777).toBe(0o700);
    const started = services('start');
    expect(started.out).not.toContain('Permission denied');
    expect(started.ok, started.out).toBe(true);
    const [dataDir] = services('paths').out.trim().split(' ');
    expect(existsSync(join(dataDir!, 'PG_VERSION'))).toBe(true);
    if (process.getuid?.() === 0) {
      // Root's clone: the postgres user cannot enter it, so the cluster lives in the reachable folder.
      expect(dataDir!.startsWith(pgHome)).toBe(true);
    }
    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
    await client.connect();
    try {
      const { rows } = await client.query<{ answer: number }>('SELECT 41 + 1 AS answer');
      expect(rows[0]?.answer).toBe(42);
    } finally {
      await client.end();
    }
    const stopped = services('stop');
    expect(stopped.ok, stopped.out).toBe(true);
    expect(stopped.out).toContain('postgres: stopped');
  });
});
