import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// CI's verdict is the last line this script prints; a failure it does not count or name is a failure nobody sees.
const script = fileURLToPath(new URL('../count-results.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lty-count-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function report(project: string, body: object): void {
  writeFileSync(join(dir, `${project}.json`), JSON.stringify(body));
}

function run(...args: string[]): { lines: string[]; status: number | null } {
  const r = spawnSync(process.execPath, [script, dir, ...args], { encoding: 'utf8' });
  return { lines: r.stdout.trim().split('\n'), status: r.status };
}

describe('count-results', () => {
  it('adds up passing projects and exits 0', () => {
    report('a', { numPassedTests: 3, numFailedTests: 0, testResults: [] });
    report('b', { numPassedTests: 2, numFailedTests: 0, testResults: [] });
    const { lines, status } = run('0', 'a', 'b');
    expect(lines.at(-1)).toBe('5 passed, 0 failed');
    expect(status).toBe(0);
  });

  it('names each failed test with its first error line, and a file that did not run, above the counts', () => {
    report('c', {
      numPassedTests: 1,
      numFailedTests: 2,
      testResults: [
        {
          name: join(process.cwd(), 'test/x.int.spec.ts'),
          status: 'failed',
          assertionResults: [
            { status: 'passed', fullName: 'x works' },
            {
              status: 'failed',
              fullName: 'x breaks',
              failureMessages: ['AssertionError: expected 1 to be 2\n  at x'],
            },
            {
              status: 'failed',
              fullName: 'x hangs',
              failureMessages: ['Error: STACK_TRACE_ERROR\n  at task'],
            },
          ],
        },
        {
          name: join(process.cwd(), 'test/y.int.spec.ts'),
          status: 'failed',
          message: 'SyntaxError: oops',
          assertionResults: [],
        },
      ],
    });
    const { lines, status } = run('0', 'c');
    expect(lines).toContain('FAILED c test/x.int.spec.ts > x breaks: AssertionError: expected 1 to be 2');
    expect(lines).toContain("FAILED c test/x.int.spec.ts > x hangs: timed out (past the test's timeout)");
    expect(lines).toContain('FAILED c test/y.int.spec.ts: did not run: SyntaxError: oops');
    expect(lines.at(-1)).toBe('1 passed, 3 failed');
    expect(status).toBe(1);
  });

  it('counts a missing report and a failed service start as failures', () => {
    const { lines, status } = run('1', 'absent');
    expect(lines).toContain('absent: no report (the run crashed)');
    expect(lines.at(-1)).toBe('0 passed, 2 failed');
    expect(status).toBe(1);
  });
});
