import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// A copy of scripts/ in a folder with no node_modules: the probes cannot load their drivers there.
const root = fileURLToPath(new URL('../..', import.meta.url));
const bare = mkdtempSync(join(tmpdir(), 'lty-bare-'));
cpSync(join(root, 'scripts'), join(bare, 'scripts'), { recursive: true });
afterAll(() => rmSync(bare, { recursive: true, force: true }));

const services = (cmd: string) =>
  spawnSync('bash', [join(bare, 'scripts/services/services.sh'), cmd], {
    encoding: 'utf8',
    env: { ...process.env, LTY_STATE_DIR: join(bare, '.services') },
  });

describe('services.sh without the workspace dependencies', () => {
  it.each(['up', 'status'])('%s refuses at once and says to install them', (cmd) => {
    const r = services(cmd);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('run pnpm install in');
  });

  it('still answers where they are installed', () => {
    const r = spawnSync('bash', [join(root, 'scripts/services/services.sh'), 'status', 'registry'], {
      encoding: 'utf8',
    });
    expect(r.stderr).not.toContain('run pnpm install');
    expect(r.stdout).toMatch(/^registry: /m);
  });
});
