import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, sleep } from '../../reliability/helpers/env';

const script = join(repoRoot, 'test/system/helpers/system-process.ts');

/** One service process of the system test: its output lines, a way to write commands, and kill -9. */
export interface ServiceChild {
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves once a stdout line equals `line`; rejects past `timeoutMs` or when the process exits first. */
  waitFor(line: string, timeoutMs: number): Promise<void>;
  write(line: string): void;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export function startChild(env: Record<string, string>): ServiceChild {
  const c: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@listen-to-yourself/source', '--import', 'tsx', script],
    { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const stdout: string[] = [];
  const stderr: string[] = [];
  const collect = (into: string[]) => (d: Buffer) =>
    into.push(...d.toString('utf8').split('\n').filter(Boolean));
  c.stdout!.on('data', collect(stdout));
  c.stderr!.on('data', collect(stderr));
  const exited = new Promise<void>((r) => c.once('exit', () => r()));
  return {
    stdout,
    stderr,
    async waitFor(line, timeoutMs) {
      const end = Date.now() + timeoutMs;
      while (!stdout.includes(line)) {
        if (c.exitCode !== null || c.signalCode !== null) {
          throw new Error(
            `${env.SYSTEM_ROLE} exited (${c.exitCode ?? c.signalCode}):\n${stderr.slice(-20).join('\n')}`,
          );
        }
        if (Date.now() > end) throw new Error(`${env.SYSTEM_ROLE}: no "${line}" within ${timeoutMs} ms`);
        await sleep(50);
      }
    },
    write: (line) => void c.stdin!.write(`${line}\n`),
    async kill(signal) {
      if (c.exitCode === null && c.signalCode === null) c.kill(signal);
      await exited;
    },
  };
}
