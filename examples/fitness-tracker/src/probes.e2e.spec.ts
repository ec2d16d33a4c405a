import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dropNamespace, freePort } from 'example-support';
import { afterAll, expect, it } from 'vitest';
import { configFromEnv } from './config';

// Both services as they run in production (a process each): their probes from health(), and their SIGTERM path.
const id = randomUUID().slice(0, 8);
const env = {
  FITNESS_SERVICE_NAME: `fitness-probes-${id}`,
  FITNESS_NAMESPACE: `fitness_probes_${id}`,
  COACH_SERVICE_NAME: `coach-probes-${id}`,
  COACH_NAMESPACE: `coach_probes_${id}`,
};
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  const store = configFromEnv().store;
  await dropNamespace(store, env.FITNESS_NAMESPACE).catch(() => undefined);
  await dropNamespace(store, env.COACH_NAMESPACE).catch(() => undefined);
});

async function launch(script: string, extra: Record<string, string>) {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@listen-to-yourself/source',
      '--import',
      'tsx',
      fileURLToPath(new URL(script, import.meta.url)),
    ],
    { env: { ...process.env, ...env, ...extra }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exited, stderr: () => stderr };
}

async function until(url: string, ok: (status: number, body: Record<string, unknown>) => boolean) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
    const body = res ? ((await res.json()) as Record<string, unknown>) : {};
    if (res && ok(res.status, body)) return body;
    if (Date.now() > deadline) throw new Error(`${url}: ${res?.status} ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('answers the probes of both services from health(), and each drains and exits 0 on SIGTERM', async () => {
  const port = await freePort();
  const coachPort = await freePort();
  const fitness = await launch('./main.ts', { PORT: String(port) });
  const coach = await launch('./coach/main.ts', { COACH_PORT: String(coachPort) });
  for (const [p, self] of [
    [port, `${env.FITNESS_SERVICE_NAME}.self`],
    [coachPort, `${env.COACH_SERVICE_NAME}.self`],
  ] as const) {
    const live = await until(`http://127.0.0.1:${p}/health/live`, (s) => s === 200);
    expect(['ready', 'degraded']).toContain(live.status);
    const ready = await until(
      `http://127.0.0.1:${p}/health/ready`,
      (s, b) =>
        s === 200 &&
        (b.groups as { groupId: string; state: string }[]).some(
          (g) => g.groupId === self && g.state === 'running',
        ),
    );
    expect((ready.commandPath as { state: string }).state).toBe('ready');
  }
  for (const s of [fitness, coach]) {
    const signalled = Date.now();
    s.child.kill('SIGTERM');
    expect(await s.exited, s.stderr()).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(25_000);
  }
}, 180_000);
