import { spawn, type ChildProcess } from 'node:child_process';

/**
 * What a scripted run needs: start example processes (their output prefixed with their name), call them over
 * HTTP with timings, check steps (printing ok or FAIL), wait for a condition, and finish with exit code 0 only
 * when every check passed.
 */
export function demoKit(options: { env: NodeJS.ProcessEnv }) {
  const children: ChildProcess[] = [];
  let problems = 0;

  function start(script: string, name: string): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const print = (out: NodeJS.WriteStream) => (d: Buffer) => {
      for (const line of d.toString().split('\n')) if (line) out.write(`  [${name}] ${line}\n`);
    };
    child.stdout.on('data', print(process.stdout));
    child.stderr.on('data', print(process.stderr));
    children.push(child);
    return child;
  }

  async function http(url: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}) {
    const t0 = performance.now();
    const res = await fetch(url, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as Record<string, unknown>;
    return { status: res.status, json, ms: performance.now() - t0 };
  }

  function check(ok: boolean, text: string): boolean {
    if (!ok) problems++;
    console.log(`${ok ? '  ok  ' : '  FAIL'} ${text}`);
    return ok;
  }

  async function until<T>(fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T | undefined> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const v = await fn();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    return undefined;
  }

  /** Waits until every URL answers 200; fails at once when a started process exits. */
  async function ready(urls: readonly string[], timeoutMs = 60_000): Promise<void> {
    for (const url of urls) {
      const up = await until(async () => {
        const dead = children.find((c) => c.exitCode !== null);
        if (dead) throw new Error(`a process exited during start-up with code ${dead.exitCode}`);
        return (await fetch(url).catch(() => undefined))?.ok ? true : undefined;
      }, timeoutMs);
      if (!up) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    }
  }

  /** Runs the story, stops the processes (SIGTERM), prints the verdict and exits. */
  async function run(title: string, story: () => Promise<void>): Promise<never> {
    try {
      await story();
    } catch (err) {
      problems++;
      console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      for (const c of children) c.kill('SIGTERM');
      await Promise.all(
        children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
      );
    }
    console.log(
      problems === 0
        ? `\n${title} finished: every step behaved as described.`
        : `\n${title} finished with ${problems} problem(s).`,
    );
    process.exit(problems === 0 ? 0 : 1);
  }

  return { start, http, check, until, ready, run };
}
