// The parent's side of benchmarks/apply/scaling.ts: forks the instances of one run (scaling-worker.ts), starts
// them together, calls `open` (which releases the events once all are in the group) and turns the counts they
// report into aggregate events/s. Every child is killed when a run fails, and on exit whatever is left.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ToParent, ToWorker, WorkerArgs } from './scaling-worker';

const WORKER = fileURLToPath(new URL('./scaling-worker.ts', import.meta.url));
const TIMEOUT_MS = 600_000;
const live = new Set<ChildProcess>();
const killAll = () => {
  for (const child of live) child.kill('SIGKILL');
};
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(1);
  });
}

export interface RunFigures {
  /** Aggregate events/s from the first event applied (by any instance) to the N-th. */
  readonly rate: number;
  /** Records each instance processed by the end; a sum above N means redeliveries (a rebalance mid-run). */
  readonly perInstance: readonly number[];
}

interface Sample {
  readonly instance: number;
  readonly count: number;
  readonly at: number;
}

/**
 * Runs `instances` worker processes in one group until together they have processed `n` records. `open` is called
 * once all have been told to start consuming.
 */
export async function runInstances(
  instances: number,
  args: WorkerArgs,
  n: number,
  open: () => Promise<void>,
): Promise<RunFigures> {
  // fork() passes this process's execArgv (--import tsx) on, so the children run the TypeScript sources too.
  const children = Array.from({ length: instances }, () =>
    fork(WORKER, [JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  for (const child of children) live.add(child);
  const samples: Sample[] = [];
  const running: (() => void)[] = []; // removes the run's exit handlers once the run is over
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not ${n} records within ${TIMEOUT_MS} ms`)),
        TIMEOUT_MS,
      );
      const counts = children.map(() => 0);
      let ready = 0;
      children.forEach((child, i) => {
        child.on('message', (m: ToParent) => {
          if (m.kind === 'ready' && ++ready === instances) {
            children.forEach((ch) => tell(ch, { kind: 'go' }));
            open().catch(reject);
          }
          if (m.kind !== 'count') return;
          samples.push({ instance: i, count: m.count, at: m.at });
          counts[i] = m.count;
          if (counts.reduce((a, b) => a + b, 0) >= n) {
            clearTimeout(timer);
            resolve();
          }
        });
        const exited = (code: number | null, signal: string | null) => {
          clearTimeout(timer);
          reject(new Error(`instance ${i} exited (${code ?? signal}) during the run`));
        };
        child.once('exit', exited);
        running.push(() => child.off('exit', exited));
      });
    });
    for (const off of running) off();
    const perInstance = await Promise.all(children.map(stop));
    return { rate: rate(samples, n), perInstance };
  } finally {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      live.delete(child);
    }
  }
}

const tell = (child: ChildProcess, m: ToWorker) => child.send(m);

/** Asks one instance to stop (graceful: the service drains and leaves the group); its final count. */
function stop(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let final: number | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('message', (m: ToParent) => {
      if (m.kind === 'stopped') final = m.count;
    });
    child.once('exit', () => {
      clearTimeout(timer);
      if (final === undefined) reject(new Error('an instance exited without reporting its final count'));
      else resolve(final);
    });
    tell(child, { kind: 'stop' });
  });
}

/** Replays every instance's reports in time order: events/s from the first report to the one that makes n. */
function rate(samples: Sample[], n: number): number {
  const latest = new Map<number, number>();
  let start: { at: number; total: number } | undefined;
  for (const s of [...samples].sort((a, b) => a.at - b.at)) {
    latest.set(s.instance, s.count);
    const total = [...latest.values()].reduce((a, b) => a + b, 0);
    start ??= { at: s.at, total };
    if (total >= n) return ((n - start.total) / (s.at - start.at)) * 1000;
  }
  throw new Error('the reports never added up to the run size');
}
