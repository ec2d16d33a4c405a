import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { refuseTakenPorts } from './taken-ports';

const root = fileURLToPath(new URL('../..', import.meta.url));
const port = (node: number) => 19092 + 100 * (node - 1);

/** True when this checkout's pid file of the node names a live process (services.sh keeps it so). */
function ownNodeRunning(node: number): boolean {
  const state = process.env.LTY_STATE_DIR ?? join(root, '.services');
  try {
    process.kill(Number(readFileSync(join(state, 'run', `kafka3-${node}.pid`), 'utf8').trim()), 0);
    return true;
  } catch {
    return false;
  }
}

const services = join(fileURLToPath(new URL('../..', import.meta.url)), 'scripts/services/services.sh');

function run(...args: string[]): string {
  const r = spawnSync('bash', [services, ...args], { encoding: 'utf8', timeout: 240_000 });
  if (r.status !== 0) throw new Error(`services.sh ${args.join(' ')} failed: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * The 3-node KRaft cluster of `services.sh up kafka3` (node N listens on 19092 + 100 × (N − 1)). Started by the
 * first test that needs it and stopped by `release()` only if that test started it.
 */
export function kafka3() {
  const external = process.env.KAFKA3_BROKERS;
  const wasUp = external !== undefined || spawnSync('bash', [services, 'status', 'kafka3']).status === 0;
  return {
    brokers: external ? external.split(',') : ['127.0.0.1:19092', '127.0.0.1:19192', '127.0.0.1:19292'],
    up() {
      // Nodes this checkout runs (their pid files say so) are reused; another process on a port of a node that
      // `up` would start is refused.
      if (external === undefined) {
        const ports = [1, 2, 3].filter((n) => !ownNodeRunning(n)).flatMap((n) => [port(n), port(n) + 1]);
        refuseTakenPorts('kafka3', ports);
      }
      return run('up', 'kafka3');
    },
    killNode: (n: number) => run('kill-node', 'kafka3', String(n)),
    startNode: (n: number) => run('start-node', 'kafka3', String(n)),
    /** Node id of a broker port, as the cluster numbers them. */
    nodeOfPort: (port: number) => (port - 19092) / 100 + 1,
    release: () => (wasUp ? undefined : run('down', 'kafka3')),
  };
}
