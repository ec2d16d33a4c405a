import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Where a profile says the time went decides what gets optimised: a summary that reads the wrong file, or lists
// nothing without saying why, sends that work the wrong way.
const script = fileURLToPath(new URL('../../benchmarks/profile-summary.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lty-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

function run(...args: string[]): { out: string; err: string; status: number | null } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8' });
  return { out: r.stdout, err: r.stderr, status: r.status };
}

// Three frames: the root, a function of the repository and one of a package; 3 ms, 1 ms and 0 ms of self time.
const profile = JSON.stringify({
  nodes: [
    { id: 1, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
    {
      id: 2,
      callFrame: { functionName: 'apply', url: `file://${process.cwd()}/packages/x/src/a.ts`, lineNumber: 9 },
    },
    {
      id: 3,
      callFrame: { functionName: 'encode', url: 'file:///n/node_modules/kafkajs/src/e.js', lineNumber: 0 },
    },
  ],
  samples: [2, 2, 2, 3],
  timeDeltas: [1000, 1000, 1000, 1000],
});

describe('profile-summary', () => {
  it('gives self time by function and by package', () => {
    const { out, status } = run(file('good.cpuprofile', profile), '5');
    expect(status).toBe(0);
    expect(out).toContain('0.0 s sampled');
    expect(out).toMatch(/75\.0 %\s+apply packages\/x\/src\/a\.ts:10/);
    expect(out).toMatch(/25\.0 %\s+kafkajs\n/);
  });

  it('refuses a file that is not a profile, and one that is not JSON', () => {
    const notProfile = run(file('other.json', '{"nodes": []}'));
    expect(notProfile.status).toBe(2);
    expect(notProfile.err).toContain('is not a V8 CPU profile');
    const notJson = run(file('broken.cpuprofile', '{"nodes": ['));
    expect(notJson.status).toBe(2);
    expect(notJson.err).toContain('broken.cpuprofile');
  });

  it('refuses a second file where the count goes, instead of listing no function', () => {
    const { status, err } = run(file('a.cpuprofile', profile), file('b.cpuprofile', profile));
    expect(status).toBe(2);
    expect(err).toContain('must be a positive integer');
  });
});
