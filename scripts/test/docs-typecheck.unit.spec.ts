import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// The tree lives inside the repository so its blocks resolve zod and @types/node as the real pages do.
const repo = fileURLToPath(new URL('../..', import.meta.url));
const script = join(repo, 'scripts/docs-typecheck.mjs');
const fence = '```';
let root: string;
function tree(files: Record<string, string>): void {
  root = mkdtempSync(join(repo, '.docs-typecheck-test-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}
function check() {
  const r = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stdout + r.stderr };
}
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('docs-typecheck', { timeout: 60_000 }, () => {
  it('passes strict blocks, with names declared in a typecheck comment', () => {
    const page = [
      `${fence}ts\nimport { z } from 'zod';\nconst n: number = z.number().parse(1);\nconsole.log(n);\n${fence}`,
      `<!-- typecheck\ndeclare const url: string;\n-->\n${fence}ts\nconsole.log(url.length);\n${fence}`,
    ].join('\n\n');
    tree({ 'docs/page.md': page });
    const r = check();
    expect(r.out).toContain('2 TypeScript blocks type-check under strict');
    expect(r.ok).toBe(true);
  });

  it('fails on a block that does not compile under strict, naming the page and line', () => {
    const page = `# P\n\nText.\n\n${fence}ts\nconst url: string = process.env.URL;\nconsole.log(url);\n${fence}\n`;
    tree({ 'packages/p/README.md': page });
    const r = check();
    expect(r.ok).toBe(false);
    expect(r.out).toMatch(/packages\/p\/README\.md:6: error TS2322/);
  });

  it('fails on an implicit any and on an undeclared name', () => {
    tree({ 'README.md': `${fence}ts\nexport const f = (x) => x + missing;\n${fence}\n` });
    const r = check();
    expect(r.ok).toBe(false);
    expect(r.out).toContain('README.md:2: error TS7006');
    expect(r.out).toContain('README.md:2: error TS2304');
  });

  it('skips blocks under a snippet marker (their source is compiled instead)', () => {
    tree({ 'docs/page.md': `<!-- snippet: a.ts#r -->\n${fence}ts\nthis is not TypeScript\n${fence}\n` });
    const r = check();
    expect(r.ok).toBe(true);
    expect(r.out).toContain('no TypeScript blocks');
  });
});
