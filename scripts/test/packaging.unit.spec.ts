import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const U = 'https://github.com/listen-to-yourself/listen-to-yourself';
const good = {
  name: '@lty-test/pkg',
  version: '1.2.3',
  license: 'Apache-2.0',
  repository: { type: 'git', url: `git+${U}.git` },
  engines: { node: '^22.12.0 || ^24.0.0' },
  type: 'module',
  types: './dist/index.d.ts',
  exports: {
    '.': { types: './dist/index.d.ts', default: './dist/index.js' },
    './package.json': './package.json',
  },
  dependencies: { zod: '^4.6.0' },
};
const goodFiles: Record<string, string> = {
  'README.md': `# pkg\n\nSee [the docs](${U}/blob/main/docs/retries.md).\n`,
  'CHANGELOG.md': '# pkg\n\n## 1.2.3\n\nFixed.\n',
  LICENSE: 'Apache License\n',
  'dist/index.js': 'export const x = 1;\n',
  'dist/index.d.ts': `/** See {@link ${U}/blob/main/docs/retries.md | Retries}. */\nexport declare const x = 1;\n`,
};

let work: string;
/** A tarball as npm packs one: everything under package/. */
function tarball(pkg: object, files: Record<string, string | undefined>): string {
  work = mkdtempSync(join(tmpdir(), 'lty-pack-test-'));
  const all = { ...goodFiles, ...files, 'package.json': JSON.stringify(pkg) };
  for (const [path, text] of Object.entries(all)) {
    if (text === undefined) continue;
    mkdirSync(dirname(join(work, 'package', path)), { recursive: true });
    writeFileSync(join(work, 'package', path), text);
  }
  spawnSync('tar', ['czf', join(work, 'pkg.tgz'), '-C', work, 'package']);
  return join(work, 'pkg.tgz');
}
function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: repo, timeout: 120_000 });
  return { ok: r.status === 0, out: r.stdout + r.stderr };
}
const publishCheck = (t: string) => run(process.execPath, ['scripts/packaging/publish-check.mjs', t]);
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('publish-check', { timeout: 120_000 }, () => {
  it('passes a complete package', () => {
    const r = publishCheck(tarball(good, {}));
    expect(r.out).toContain('ready to publish');
    expect(r.ok).toBe(true);
  });

  it('fails on workspace ranges, a source condition, a missing export target and no CHANGELOG section', () => {
    const broken = {
      ...good,
      dependencies: { '@lty-test/core': 'workspace:*' },
      exports: { '.': { '@listen-to-yourself/source': './src/index.ts', default: './dist/missing.js' } },
    };
    const r = publishCheck(tarball(broken, { 'CHANGELOG.md': '# pkg\n\n## 1.2.2\n' }));
    expect(r.ok).toBe(false);
    expect(r.out).toContain('dependencies.@lty-test/core is workspace:*');
    expect(r.out).toContain('has a source condition');
    expect(r.out).toContain('exports/./@listen-to-yourself/source: ./src/index.ts is not in the tarball');
    expect(r.out).toContain('./dist/missing.js is not in the tarball');
    expect(r.out).toContain('CHANGELOG.md has no "## 1.2.3" section');
  });

  it('fails on links that only work in the repository, in the README and in type declarations', () => {
    const r = publishCheck(
      tarball(good, {
        'README.md': '# pkg\n\nPart of [the project](../../README.md).\n',
        'dist/index.d.ts': '/** See docs/retries.md. */\nexport declare const x = 1;\n',
      }),
    );
    expect(r.ok).toBe(false);
    expect(r.out).toContain('README.md: link ../../README.md does not work from npm');
    expect(r.out).toContain('dist/index.d.ts: docs/retries.md is a path in the repository');
  });

  it('fails without a license, a repository or a LICENSE file', () => {
    const { license: _l, repository: _r, ...bare } = good;
    const r = publishCheck(tarball(bare, { LICENSE: undefined }));
    expect(r.ok).toBe(false);
    expect(r.out).toContain('no license');
    expect(r.out).toContain('no LICENSE file');
    expect(r.out).toContain('no repository url');
  });
});

describe('attw.sh', { timeout: 120_000 }, () => {
  it('fails on a package whose types point at a file it does not ship', () => {
    const exports = { '.': { types: './dist/gone.d.ts', default: './dist/index.js' } };
    const r = run('bash', ['scripts/packaging/attw.sh', tarball({ ...good, exports, types: undefined }, {})]);
    expect(r.ok).toBe(false);
    expect(r.out).toContain('problems above');
  });

  it('passes a package whose types resolve', () => {
    const r = run('bash', ['scripts/packaging/attw.sh', tarball(good, {})]);
    expect(r.out).toContain('no problems (esm-only)');
    expect(r.ok).toBe(true);
  });
});
