import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../docs-sync.mjs', import.meta.url));
const source = `export const a = 1;\n// #region one\nexport const one = 1;\n// #endregion one\n`;
const fence = '```';
const placeholder = `<!-- snippet: examples/x/src/a.ts#one -->\n${fence}ts\n${fence}\n`;
const filled = `<!-- snippet: examples/x/src/a.ts#one -->\n${fence}ts\nexport const one = 1;\n${fence}\n`;

let root: string;
function tree(files: Record<string, string>): void {
  root = mkdtempSync(join(tmpdir(), 'docs-sync-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}
function sync(...args: string[]) {
  const r = spawnSync(process.execPath, [script, '--root', root, ...args], { encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stdout + r.stderr };
}
const page = (path = 'docs/page.md') => readFileSync(join(root, path), 'utf8');
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('docs-sync', () => {
  it('fills a placeholder and leaves what follows it alone, then --check passes', () => {
    const after = `\n## 2. Next\n\n${fence}sh\nbash run.sh\n${fence}\n`;
    tree({ 'examples/x/src/a.ts': source, 'docs/page.md': `# P\n\n## 1. First\n\n${placeholder}${after}` });
    expect(sync().ok).toBe(true);
    expect(page()).toBe(`# P\n\n## 1. First\n\n${filled}${after}`);
    expect(sync('--check')).toMatchObject({ ok: true });
  });

  it('--check fails on a page whose block differs from its region', () => {
    tree({ 'examples/x/src/a.ts': source, 'docs/page.md': filled.replace('= 1', '= 2') });
    const r = sync('--check');
    expect(r.ok).toBe(false);
    expect(r.out).toContain('docs/page.md is out of date');
  });

  it('fails on an unclosed block and writes nothing', () => {
    const text = `${filled}\n${fence}ts\nconst b = 2;\n`;
    tree({ 'examples/x/src/a.ts': source, 'docs/page.md': text });
    const r = sync();
    expect(r.ok).toBe(false);
    expect(r.out).toContain('docs/page.md:6: code block is never closed');
    expect(page()).toBe(text);
  });

  it('fails on a stray opening fence inside a block', () => {
    tree({
      'examples/x/src/a.ts': source,
      'docs/page.md': filled.replace(`\n${fence}\n`, `\n${fence}ts\n${fence}\n`),
    });
    const r = sync('--check');
    expect(r.ok).toBe(false);
    expect(r.out).toContain('a fence with an info string inside the block');
  });

  it('fails on a region no page uses', () => {
    const unused = `${source}// #region two\nexport const two = 2;\n// #endregion two\n`;
    tree({ 'examples/x/src/a.ts': unused, 'docs/page.md': filled });
    const r = sync('--check');
    expect(r.ok).toBe(false);
    expect(r.out).toContain('examples/x/src/a.ts#two: no page uses this region');
  });

  it('fails on a region that is not closed, and on a marker naming no region', () => {
    tree({ 'examples/x/src/a.ts': source.replace('// #endregion one\n', ''), 'docs/page.md': filled });
    const r = sync('--check');
    expect(r.ok).toBe(false);
    expect(r.out).toContain('region one is not closed');
    expect(r.out).toContain('region examples/x/src/a.ts#one not found');
  });

  it('fails on numbered steps that skip, in a package README too', () => {
    const steps = `# P\n\n## 1. One\n\n## 2. Two\n\n## 4. Four\n`;
    tree({ 'examples/x/src/a.ts': source, 'docs/page.md': filled, 'packages/p/README.md': steps });
    const r = sync('--check');
    expect(r.ok).toBe(false);
    expect(r.out).toContain('packages/p/README.md:7: step 4 follows step 2');
  });

  it('fails on an empty block that no marker fills', () => {
    tree({ 'examples/x/src/a.ts': source, 'docs/page.md': `${filled}\n${fence}ts\n${fence}\n` });
    const r = sync('--check');
    expect(r.ok).toBe(false);
    expect(r.out).toContain('docs/page.md:6: empty code block');
  });
});
