import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The services scripts decide from their pid files whether a service runs, and stop it by signalling that pid.
// A file left by a machine that was reset names a pid that may belong to another process now.
const lib = fileURLToPath(new URL('../services/lib.sh', import.meta.url));
const run = mkdtempSync(join(tmpdir(), 'lty-pid-'));
const other: ChildProcess = spawn('sleep', ['60'], { stdio: 'ignore' });

afterAll(() => {
  other.kill();
  rmSync(run, { recursive: true, force: true });
});

function isRunning(name: string): boolean {
  const r = spawnSync('bash', ['-c', `RUN="$1"; source "$2"; is_running "$3"`, 'sh', run, lib, name]);
  return r.status === 0;
}

function pidFile(name: string, pid: number, writtenSecondsAgo: number): void {
  const file = join(run, `${name}.pid`);
  writeFileSync(file, `${pid}\n`);
  const at = Date.now() / 1000 - writtenSecondsAgo;
  utimesSync(file, at, at);
}

describe('is_running', () => {
  it('takes a live process started before its pid file was written for ours', () => {
    pidFile('fresh', other.pid!, 0);
    expect(isRunning('fresh')).toBe(true);
  });

  it('does not take a process started after the pid file was written for ours', () => {
    pidFile('stale', other.pid!, 3600);
    expect(isRunning('stale')).toBe(false);
  });

  it('is false for a missing pid file and for a pid no process has', () => {
    expect(isRunning('missing')).toBe(false);
    pidFile('gone', 2 ** 22 + 1, 0);
    expect(isRunning('gone')).toBe(false);
  });
});
