import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreKind } from '../../../examples/example-support/src/index';
import { repoRoot, sleep } from './env';

/** The self-subscriber's counters as GET /health reports them. */
export interface HealthStats {
  applied: number;
  duplicates: number;
  deadLettered: number;
  parked: number;
  retries: number;
}

/** Where one order-service process finds its servers and what it is called. */
export interface OrderProcessEnv {
  serviceName: string;
  schema: string;
  port: number;
  brokers: string[];
  postgresUrl: string;
  /** The order service's state store (`STORE`); its server comes from the environment as for the example. */
  store: StoreKind;
}

const mainScript = join(repoRoot, 'examples/order-service/src/main.ts');

/**
 * The order example's real entry point (`node --import tsx examples/order-service/src/main.ts`) as a child
 * process that a test can start, SIGKILL and restart. It runs the workspace sources (the `source` condition), so
 * it tests the code in the tree, not a stale build. Keeps the last 300 lines of its output for failure reports
 * and the last /health reading of each incarnation, since a SIGKILLed process takes its counters with it.
 */
export function orderProcess(env: OrderProcessEnv) {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const output: string[] = [];
  const lastHealth: (HealthStats | undefined)[] = [];
  let poller: NodeJS.Timeout | undefined;
  let signalled = false;
  let unexpectedExits = 0;
  const base = `http://127.0.0.1:${env.port}`;
  const logFile = join(tmpdir(), `${env.serviceName}-${env.port}.log`);

  const keep = (data: Buffer) => {
    appendFileSync(logFile, data);
    for (const line of data.toString('utf8').split('\n')) if (line) output.push(line);
    if (output.length > 300) output.splice(0, output.length - 300);
  };

  async function health(): Promise<HealthStats | undefined> {
    try {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) });
      return res.ok ? ((await res.json()) as HealthStats) : undefined;
    } catch {
      return undefined;
    }
  }

  async function start(timeoutMs = 120_000): Promise<void> {
    if (child) throw new Error(`order process on ${env.port} is already running`);
    const c = spawn(
      process.execPath,
      ['--conditions=@listen-to-yourself/source', '--import', 'tsx', mainScript],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          ORDER_SERVICE_NAME: env.serviceName,
          // No legacy service runs here: a topic of its own keeps the order service off other runs' refusals.
          LEGACY_SERVICE_NAME: `${env.serviceName}-legacy`,
          ORDER_SERVICE_SCHEMA: env.schema,
          PORT: String(env.port),
          KAFKA_BROKERS: env.brokers.join(','),
          POSTGRES_URL: env.postgresUrl,
          STORE: env.store,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = c;
    c.stdout.on('data', keep);
    c.stderr.on('data', keep);
    signalled = false;
    keep(Buffer.from(`[${new Date().toISOString()} start]\n`));
    exited = new Promise((resolve) =>
      c.once('exit', () => {
        if (!signalled) {
          unexpectedExits++;
          clearInterval(poller);
          keep(
            Buffer.from(`[${new Date().toISOString()} exited on its own: ${c.exitCode ?? c.signalCode}]\n`),
          );
        }
        if (child === c) child = undefined;
        resolve();
      }),
    );
    const incarnation = lastHealth.push(undefined) - 1;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (c.exitCode !== null || c.signalCode !== null) {
        throw new Error(`order process exited during start-up (${c.exitCode ?? c.signalCode}):\n${tail()}`);
      }
      const h = await health();
      if (h) {
        lastHealth[incarnation] = h;
        break;
      }
      if (Date.now() > deadline)
        throw new Error(`order process not ready within ${timeoutMs} ms:\n${tail()}`);
      await sleep(200);
    }
    poller = setInterval(() => {
      void health().then((h) => {
        if (h && child === c) lastHealth[incarnation] = h;
      });
    }, 500);
  }

  async function signal(sig: 'SIGKILL' | 'SIGTERM', graceMs = 30_000): Promise<void> {
    const c = child;
    if (!c) return;
    clearInterval(poller);
    // Read the counters once more just before a graceful stop; a SIGKILL keeps the last poll's reading.
    if (sig === 'SIGTERM') {
      const h = await health();
      if (h) lastHealth[lastHealth.length - 1] = h;
    }
    signalled = true;
    keep(Buffer.from(`[${new Date().toISOString()} ${sig}]\n`));
    c.kill(sig);
    const timer = setTimeout(() => c.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  function tail(lines = 40): string {
    return `${output.slice(-lines).join('\n')}\n(all of it in ${logFile})`;
  }

  return {
    env,
    base,
    start,
    /** SIGKILL: no drain, no commit, no leave-group. */
    kill: () => signal('SIGKILL'),
    /** SIGTERM: the example drains and leaves its groups. */
    stop: () => signal('SIGTERM'),
    isRunning: () => child !== undefined,
    /** How many times a process exited without being told to (a crash of the service itself). */
    unexpectedExits: () => unexpectedExits,
    health,
    /** The last counters read from each incarnation (lower bounds for those that were SIGKILLed). */
    incarnations: () =>
      lastHealth.map((h) => h ?? { applied: 0, duplicates: 0, deadLettered: 0, parked: 0, retries: 0 }),
    /** The last lines the process wrote, for a failure message. */
    tail,
  };
}

export type OrderProcess = ReturnType<typeof orderProcess>;
