// Type-checks every TypeScript block a newcomer reads (README.md, docs/, the packages' READMEs) under `strict`,
// against the packages' source, so no snippet can rot. Each block is a module of its own. A block may need names
// the page does not show (a store, a schema defined elsewhere): a comment right above the fence declares them,
//   <!-- typecheck
//   declare const store: StateStore;
//   -->
// and is compiled before the block. Blocks under a `<!-- snippet: file#region -->` marker are skipped: they are
// copies of compiled source (docs-sync.mjs --check keeps them identical, `pnpm typecheck` compiles the source).
// Usage: node scripts/docs-typecheck.mjs [--root DIR]   (exits 1 with page:line of every error)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { markdownPages, parseFences } from './docs-pages.mjs';

const args = process.argv.slice(2);
const rootArg = args.indexOf('--root');
const repo = fileURLToPath(new URL('..', import.meta.url));
const root = rootArg >= 0 ? args[rootArg + 1] : repo;
const out = join(root, '.docs-typecheck');
const marker = /^<!-- snippet: /;

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const files = new Map(); // generated file -> { page, firstLine, preludeLines }
for (const page of markdownPages(root)) {
  const where = relative(root, page);
  const lines = readFileSync(page, 'utf8').split('\n');
  for (const b of parseFences(lines).blocks) {
    if (!['ts', 'typescript', 'tsx'].includes(b.lang)) continue;
    if (marker.test(lines[b.open - 1] ?? '')) continue;
    let prelude = [];
    if (lines[b.open - 1] === '-->') {
      const start = lines.lastIndexOf('<!-- typecheck', b.open - 1);
      if (start >= 0) prelude = lines.slice(start + 1, b.open - 1);
    }
    const name = `${where.replace(/[^\w]+/g, '_')}_${b.open + 1}.ts`;
    const body = lines.slice(b.open + 1, b.close);
    writeFileSync(join(out, name), [...prelude, ...body, 'export {};', ''].join('\n'));
    files.set(name, { page: where, firstLine: b.open + 2, preludeLines: prelude.length });
  }
}

// Each workspace package by name, at its source (the exports map's source condition), as the repo's tsconfig does.
const paths = {};
for (const dir of existsSync(join(root, 'packages')) ? readdirSync(join(root, 'packages')) : []) {
  const pkgFile = join(root, 'packages', dir, 'package.json');
  if (!existsSync(pkgFile)) continue;
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  for (const [sub, target] of Object.entries(pkg.exports ?? {})) {
    const src = typeof target === 'object' ? target['@listen-to-yourself/source'] : undefined;
    if (src) paths[join(pkg.name, sub)] = [relative(out, join(root, 'packages', dir, src))];
  }
}
writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'ESNext',
      moduleResolution: 'Bundler',
      types: ['node'],
      typeRoots: [relative(out, join(repo, 'node_modules/@types'))],
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      paths,
    },
    include: ['*.ts'],
  }),
);

if (files.size === 0) {
  console.log('docs-typecheck: no TypeScript blocks');
  process.exit(0);
}
const tsc = createRequire(join(repo, 'package.json')).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', out, '--pretty', 'false'], { encoding: 'utf8', cwd: out });
const output = `${r.stdout}${r.stderr}`;
// "file.ts(12,5): error TS2304: ..." back to "page.md:LINE: ..."
const mapped = output.replace(/^([\w.-]+\.ts)\((\d+),(\d+)\): /gm, (all, file, line) => {
  const f = files.get(file);
  if (!f) return all;
  const n = Number(line) - f.preludeLines;
  return n >= 1 ? `${f.page}:${f.firstLine + n - 1}: ` : `${f.page}:${f.firstLine - 1} (typecheck comment): `;
});
if (r.status !== 0) {
  console.error(mapped.trim());
  console.error(`docs-typecheck: ${files.size} blocks checked, errors above`);
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
console.log(`docs-typecheck: ${files.size} TypeScript blocks type-check under strict`);
