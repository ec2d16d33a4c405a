import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, shared, sleep } from '../helpers/env';
import type { StoreKind } from './stores';

const script = join(repoRoot, 'test/reliability/decisions/stock-main.ts');

/** The counters a stock process printed last. */
export interface StockStats {
  applied: number;
  rejected: number;
  duplicates: number;
  relayed: number;
  relayFailures: number;
}

/**
 * The stock service (`stock-main.ts`) as a child process to start, SIGKILL and start again. Keeps each
 * incarnation's last printed counters (a SIGKILLed one takes later counts with it: lower bounds) and its output
 * in `$TMPDIR/<service>.log`.
 */
export function stockProcess(o: { serviceName: string; store: StoreKind; space: string }) {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const incarnations: StockStats[] = [];
  const logFile = join(tmpdir(), `${o.serviceName}.log`);

  async function start(timeoutMs = 120_000): Promise<void> {
    const c = spawn(
      process.execPath,
      ['--conditions=@listen-to-yourself/source', '--import', 'tsx', script],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          STOCK_SERVICE_NAME: o.serviceName,
          STOCK_STORE: o.store,
          STOCK_SCHEMA: o.space,
          KAFKA_BROKERS: shared.kafkaBrokers.join(','),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = c;
    const n = incarnations.push({ applied: 0, rejected: 0, duplicates: 0, relayed: 0, relayFailures: 0 }) - 1;
    let ready = false;
    c.stdout.on('data', (data: Buffer) => {
      appendFileSync(logFile, data);
      for (const line of data.toString('utf8').split('\n')) {
        if (line === 'ready') ready = true;
        if (line.startsWith('stats ')) incarnations[n] = JSON.parse(line.slice(6)) as StockStats;
      }
    });
    c.stderr.on('data', (data: Buffer) => appendFileSync(logFile, data));
    exited = new Promise((resolve) => c.once('exit', () => resolve()));
    const deadline = Date.now() + timeoutMs;
    while (!ready) {
      if (c.exitCode !== null) throw new Error(`stock process exited during start-up; see ${logFile}`);
      if (Date.now() > deadline)
        throw new Error(`stock process not ready in ${timeoutMs} ms; see ${logFile}`);
      await sleep(100);
    }
  }

  async function signal(sig: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    const c = child;
    if (!c || c.exitCode !== null) return;
    c.kill(sig);
    const timer = setTimeout(() => c.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
    child = undefined;
  }

  return {
    start,
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
    incarnations: () => incarnations,
    logFile,
  };
}
