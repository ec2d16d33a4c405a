// What npm would publish, checked before it is: for each tarball (from pack.sh), its package.json (a version,
// license, repository, no workspace: ranges, an exports map whose every target is in the tarball and that has no
// source condition), a README, a LICENSE, a CHANGELOG with a section for this version, links that work from npm
// (no repository-relative paths in the READMEs or the type declarations), then `npm publish --dry-run` itself,
// which must not warn (npm warns when it would auto-correct package.json).
// Usage: node scripts/packaging/publish-check.mjs TARBALL...   (exits 1 listing every problem)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const tarballs = process.argv.slice(2);
if (tarballs.length === 0) {
  console.error('usage: publish-check.mjs TARBALL...');
  process.exit(2);
}

/** Problems with one unpacked package directory, as messages. */
function packageProblems(dir, files) {
  const problems = [];
  const has = (p) => files.includes(p.replace(/^\.\//, ''));
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(pkg.version ?? ''))
    problems.push(`version ${pkg.version} is not semver`);
  if (!pkg.license) problems.push('no license');
  if (!files.some((f) => /^LICEN[CS]E/.test(f))) problems.push('no LICENSE file');
  if (!/^git\+https:\/\/|^https:\/\//.test(pkg.repository?.url ?? '')) problems.push('no repository url');
  if (!pkg.engines?.node) problems.push('no engines.node');
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (/^(workspace|link|file):/.test(range)) problems.push(`${field}.${name} is ${range}`);
    }
  }
  const targets = [];
  const walk = (node, path) => {
    if (typeof node === 'string') return targets.push([path, node]);
    for (const [k, v] of Object.entries(node ?? {})) {
      if (k === '@listen-to-yourself/source') problems.push(`exports ${path} has a source condition`);
      walk(v, `${path}/${k}`);
    }
  };
  walk(pkg.exports, 'exports');
  for (const field of ['main', 'module', 'types']) if (pkg[field]) targets.push([field, pkg[field]]);
  for (const [name, bin] of Object.entries(typeof pkg.bin === 'string' ? { bin: pkg.bin } : (pkg.bin ?? {})))
    targets.push([`bin.${name}`, bin]);
  for (const [where, target] of targets) {
    if (!has(target)) problems.push(`${where}: ${target} is not in the tarball`);
  }
  if (!has('README.md')) problems.push('no README.md');
  if (!has('CHANGELOG.md')) problems.push('no CHANGELOG.md');
  else {
    const changelog = readFileSync(join(dir, 'CHANGELOG.md'), 'utf8');
    const escaped = pkg.version.replace(/\./g, '\\.');
    if (!new RegExp(`^## \\[?${escaped}\\]?(\\s|$)`, 'm').test(changelog))
      problems.push(`CHANGELOG.md has no "## ${pkg.version}" section`);
  }
  for (const file of files.filter((f) => /\.(md|d\.ts|d\.cts|d\.mts)$/.test(f))) {
    const text = readFileSync(join(dir, file), 'utf8').replace(/https?:\/\/[^\s)>'"`]+/g, 'URL');
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!/^(URL|#|mailto:)/.test(m[1])) problems.push(`${file}: link ${m[1]} does not work from npm`);
    }
    for (const m of text.matchAll(/(?<![\w@/.-])(?:\.\.\/)*(?:docs|examples|packages)\/[\w./-]*[\w/]/g)) {
      problems.push(`${file}: ${m[0]} is a path in the repository, not in the package`);
    }
  }
  return problems;
}

let failed = 0;
for (const tarball of tarballs) {
  const dir = mkdtempSync(join(tmpdir(), 'lty-publish-check-'));
  try {
    const untar = spawnSync('tar', ['xzf', tarball, '-C', dir, '--strip-components=1'], { encoding: 'utf8' });
    if (untar.status !== 0) throw new Error(`cannot unpack ${tarball}: ${untar.stderr}`);
    const list = spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' });
    const files = list.stdout
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    const problems = packageProblems(dir, files);
    const dry = spawnSync('npm', ['publish', '--dry-run', '--tag', 'dry-run', tarball], {
      encoding: 'utf8',
      cwd: dir,
    });
    if (dry.status !== 0) problems.push(`npm publish --dry-run failed:\n${dry.stderr}`);
    const warnings = dry.stderr
      .split('\n')
      .filter((l) => /^npm warn/.test(l) && !/requires you to be logged in/.test(l));
    problems.push(...warnings.map((w) => `npm publish --dry-run: ${w}`));
    if (problems.length > 0) {
      failed++;
      for (const p of problems) console.error(`publish-check: ${basename(tarball)}: ${p}`);
    } else console.log(`publish-check: ${basename(tarball)}: ready to publish`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.exit(failed > 0 ? 1 : 0);
