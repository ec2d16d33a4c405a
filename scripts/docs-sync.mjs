// Keeps code in the docs identical to compiled, tested source. A block in a Markdown file like
//   <!-- snippet: examples/order-service/src/domain.ts#commands -->
//   ```ts
//   ...
//   ```
// is replaced by the lines between `// #region commands` and `// #endregion commands` of that file.
// Usage: node scripts/docs-sync.mjs [--check]   (--check fails when a page is out of date)
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
const pages = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.md')) pages.push(p);
  }
};
walk(join(root, 'docs'));
pages.push(join(root, 'README.md'));

function region(file, name) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === `// #region ${name}`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === `// #endregion ${name}`);
  if (start < 0 || end < 0) throw new Error(`region ${name} not found in ${file}`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return body.map((l) => l.slice(indent)).join('\n');
}

const marker = /<!-- snippet: ([^#\s]+)#([\w-]+) -->\n```(\w*)\n[\s\S]*?\n```/g;
let stale = 0;
for (const page of pages) {
  const text = readFileSync(page, 'utf8');
  const next = text.replace(marker, (_, file, name, lang) => {
    return `<!-- snippet: ${file}#${name} -->\n\`\`\`${lang || 'ts'}\n${region(file, name)}\n\`\`\``;
  });
  if (next !== text) {
    stale++;
    if (check) console.error(`${relative(root, page)} is out of date: run node scripts/docs-sync.mjs`);
    else writeFileSync(page, next);
  }
}
if (check && stale > 0) process.exit(1);
console.log(check ? 'docs snippets are up to date' : `updated ${stale} page(s)`);
