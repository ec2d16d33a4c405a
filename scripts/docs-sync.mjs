// Keeps code in the docs identical to compiled, tested source. A block in a Markdown file like
//   <!-- snippet: examples/order-service/src/domain.ts#commands -->
//   ```ts
//   ...
//   ```
// is replaced by the lines between `// #region commands` and `// #endregion commands` of that file.
// Fences are whole lines. It fails, and writes nothing, when a page has an unclosed or empty code block (an empty
// one right after a marker is a placeholder to fill), a marker not followed by a block, numbered steps that skip
// (## 1., ## 2., ## 4.), or when a region is unused or unclosed.
// Usage: node scripts/docs-sync.mjs [--check] [--root DIR]   (--check fails when a page is out of date)
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { markdownPages, parseFences, sourceFiles } from './docs-pages.mjs';

const args = process.argv.slice(2);
const check = args.includes('--check');
const rootArg = args.indexOf('--root');
const root = rootArg >= 0 ? args[rootArg + 1] : fileURLToPath(new URL('..', import.meta.url));
const problems = [];

/** Every `// #region NAME` of a source file, by name, with its body dedented. */
function regionsOf(file) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const found = new Map();
  lines.forEach((line, i) => {
    const m = /^\s*\/\/ #region ([\w-]+)\s*$/.exec(line);
    if (!m) return;
    const name = m[1];
    const end = lines.findIndex((l, j) => j > i && l.trim() === `// #endregion ${name}`);
    if (end < 0) return problems.push(`${file}:${i + 1}: region ${name} is not closed`);
    if (found.has(name)) return problems.push(`${file}:${i + 1}: region ${name} is defined twice`);
    const body = lines.slice(i + 1, end);
    const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
    found.set(name, body.map((l) => l.slice(indent)).join('\n'));
  });
  return found;
}

const regions = new Map(); // "file#name" -> body
for (const file of sourceFiles(root)) {
  for (const [name, body] of regionsOf(file)) regions.set(`${file}#${name}`, body);
}

const used = new Set();
const marker = /^<!-- snippet: ([^#\s]+)#([\w-]+) -->$/;
let stale = 0;
const updates = [];
for (const page of markdownPages(root)) {
  const where = relative(root, page);
  const text = readFileSync(page, 'utf8');
  const lines = text.split('\n');
  const { blocks, problems: fenceProblems } = parseFences(lines);
  problems.push(...fenceProblems.map((p) => `${where}:${p}`));
  problems.push(...stepProblems(lines, blocks).map((p) => `${where}:${p}`));
  for (const b of blocks) {
    const placeholder = marker.test(lines[b.open - 1] ?? '');
    if (b.close === b.open + 1 && !placeholder) problems.push(`${where}:${b.open + 1}: empty code block`);
  }
  const out = [];
  let next = 0;
  lines.forEach((line, i) => {
    const m = marker.exec(line);
    if (!m) return;
    const ref = `${m[1]}#${m[2]}`;
    const block = blocks.find((b) => b.open === i + 1);
    if (!block) return problems.push(`${where}:${i + 1}: ${ref} is not followed by a code block`);
    const body = regions.get(ref);
    if (body === undefined) return problems.push(`${where}:${i + 1}: region ${ref} not found`);
    used.add(ref);
    out.push(...lines.slice(next, block.open + 1), ...body.split('\n'));
    next = block.close;
  });
  out.push(...lines.slice(next));
  const updated = out.join('\n');
  if (updated !== text) {
    stale++;
    if (check) problems.push(`${where} is out of date: run node scripts/docs-sync.mjs`);
    else updates.push([page, updated]);
  }
}
for (const ref of regions.keys()) {
  if (!used.has(ref)) problems.push(`${ref}: no page uses this region (remove it, or show it on a page)`);
}

/** Headings numbered as steps (`## 3. Title`) must count 1, 2, 3... at each heading level. */
function stepProblems(lines, blocks) {
  const found = [];
  const last = new Map();
  lines.forEach((line, i) => {
    const inFence = blocks.some((b) => b.open < i && i < b.close);
    const m = !inFence && /^(#+) (\d+)\. /.exec(line);
    if (!m) return;
    const level = m[1].length;
    const n = Number(m[2]);
    const expected = (last.get(level) ?? 0) + 1;
    if (n !== expected) found.push(`${i + 1}: step ${n} follows step ${expected - 1}: numbered steps skip`);
    last.set(level, n);
  });
  return found;
}

if (problems.length > 0) {
  for (const p of problems) console.error(`docs-sync: ${p}`);
  process.exit(1);
}
for (const [page, updated] of updates) writeFileSync(page, updated);
console.log(check ? 'docs snippets are up to date' : `updated ${stale} page(s)`);
