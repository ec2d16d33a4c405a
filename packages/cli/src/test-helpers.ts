import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const main = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Runs `lty` from source in a child process (tests only) with extra environment; never throws. */
export async function runLty(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const node = ['--conditions=@listen-to-yourself/source', '--import', 'tsx', main, ...args];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, node, {
      cwd: root,
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** `lty console` from source in a child process (tests only), and the address it printed. */
export async function startConsoleProcess(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ url: string; output: () => string; stop(): Promise<void> }> {
  const node = ['--conditions=@listen-to-yourself/source', '--import', 'tsx', main, 'console', ...args];
  const child: ChildProcess = spawn(process.execPath, node, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`lty console did not start:\n${out}`)), 60_000);
    const check = () => {
      const m = /lty console: (http:\/\/\S+\/)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve(m[1]!);
    };
    child.stdout!.on('data', check);
    child.once(
      'exit',
      (code) => (clearTimeout(timer), reject(new Error(`lty console exited ${code}:\n${out}`))),
    );
  });
  return {
    url,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
