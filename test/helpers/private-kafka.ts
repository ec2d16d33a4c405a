import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refuseTakenPorts } from './taken-ports';

const root = new URL('../..', import.meta.url).pathname;

/**
 * A single-node broker of a test's own, on its own ports and state directory, which the test may stop and start
 * at will without disturbing the shared broker other tests use.
 */
export function privateKafka(port: number) {
  const state = mkdtempSync(join(tmpdir(), 'lty-kafka-'));
  const env = {
    ...process.env,
    KAFKA_BROKERS: '',
    LTY_STATE_DIR: state,
    LTY_KAFKA_PORT: String(port),
    LTY_KAFKA_CONTROLLER_PORT: String(port + 1),
  };
  const run = (cmd: 'up' | 'down') => {
    const r = spawnSync('bash', [join(root, 'scripts/services/services.sh'), cmd, 'kafka'], {
      env,
      encoding: 'utf8',
      timeout: 180_000,
    });
    if (r.status !== 0) throw new Error(`private kafka ${cmd} failed: ${r.stdout}\n${r.stderr}`);
  };
  let started = false;
  return {
    brokers: [`127.0.0.1:${port}`],
    up() {
      // Once this helper started it, `up` again is a no-op or a restart of the same broker.
      if (!started) refuseTakenPorts(`private kafka on ${port}`, [port, port + 1]);
      run('up');
      started = true;
    },
    down: () => run('down'),
    destroy() {
      try {
        run('down');
      } finally {
        rmSync(state, { recursive: true, force: true });
      }
    },
  };
}
