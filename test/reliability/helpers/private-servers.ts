import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './env';

// The servers a scenario stops and starts are its own, set up by the project's service scripts in a temporary
// state directory and on ports of their own; the shared ones on their default ports are never touched. Unlike
// test/helpers/private-kafka.ts these run the scripts asynchronously, so the load keeps running meanwhile.

function bash(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 240_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `bash ${args.slice(0, 1).join(' ')} ${args.slice(-2).join(' ')} failed (${code}):\n${out}`,
          ),
        );
    });
  });
}

/** Runs `scripts/services/services.sh <args>` without blocking the test's event loop. */
export function services(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return bash([join(repoRoot, 'scripts/services/services.sh'), ...args], env);
}

function stateDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // Postgres runs as the postgres user when we are root: it must be able to reach the data directory.
  chmodSync(dir, 0o755);
  return dir;
}

/** A single-node KRaft broker on `port` (controller `port + 1`), as `services.sh up kafka` starts it. */
export function privateBroker(port: number) {
  const state = stateDir('lty-kafka-');
  const env = {
    ...process.env,
    KAFKA_BROKERS: '',
    LTY_STATE_DIR: state,
    LTY_KAFKA_PORT: String(port),
    LTY_KAFKA_CONTROLLER_PORT: String(port + 1),
  };
  const down = () => services(['down', 'kafka'], env);
  return {
    brokers: [`127.0.0.1:${port}`],
    up: () => services(['up', 'kafka'], env),
    /** SIGTERM (a controlled shutdown), SIGKILL after the script's grace period. */
    down,
    async destroy() {
      await down().finally(() => rmSync(state, { recursive: true, force: true }));
    },
  };
}

/** A PostgreSQL cluster on `port` (initdb + pg_ctl, like scripts/services/postgres.sh's pg_cluster_start). */
export function privatePostgres(port: number) {
  const state = stateDir('lty-pg-');
  const run = (cmd: 'start' | 'stop') =>
    bash(
      [join(repoRoot, 'scripts/services/pg-cluster.sh'), state, cmd, 'reliability', String(port)],
      process.env,
    );
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => run('start'),
    /** `pg_ctl stop -m fast`: open sessions are terminated. */
    stop: () => run('stop'),
    async destroy() {
      await run('stop').finally(() => rmSync(state, { recursive: true, force: true }));
    },
  };
}
