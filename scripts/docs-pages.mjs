// The pages and code blocks the docs checkers read (docs-sync.mjs, docs-typecheck.mjs), parsed one way for both.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const skipped = new Set(['node_modules', 'dist', '.services', '.git', 'coverage', '.docs-typecheck']);

function walk(dir, keep, found = []) {
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir)) {
    if (skipped.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, keep, found);
    else if (keep(name)) found.push(p);
  }
  return found;
}

/** README.md, docs/**, and the README of every package and example: what a newcomer reads. */
export function markdownPages(root) {
  const pages = walk(join(root, 'docs'), (n) => n.endsWith('.md'));
  for (const parent of ['packages', 'examples']) {
    const dir = join(root, parent);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const readme = join(dir, name, 'README.md');
      if (existsSync(readme)) pages.push(readme);
    }
  }
  if (existsSync(join(root, 'README.md'))) pages.push(join(root, 'README.md'));
  return pages.sort();
}

/** Source files that may hold `// #region` snippets, relative to root. */
export function sourceFiles(root) {
  return ['packages', 'examples', 'scripts', 'test', 'benchmarks']
    .flatMap((d) => walk(join(root, d), (n) => /\.(ts|tsx|mts|mjs)$/.test(n) && !n.endsWith('.d.ts')))
    .map((p) => relative(root, p));
}

const opening = /^ {0,3}```([\w+-]*)\s*$/;
const closing = /^ {0,3}```\s*$/;

/**
 * Fenced code blocks, matched as whole lines: `open` and `close` are the 0-based lines of the fences (an empty
 * block has close === open + 1). Problems (an unclosed block, an opening fence inside a block) are given as
 * "LINE: message".
 */
export function parseFences(lines) {
  const blocks = [];
  const problems = [];
  let current;
  lines.forEach((line, i) => {
    if (!current) {
      const m = opening.exec(line);
      if (m) current = { open: i, lang: m[1] };
      else if (/^ {0,3}```/.test(line)) problems.push(`${i + 1}: a fence with text after its info string`);
      return;
    }
    if (closing.test(line)) {
      current.close = i;
      blocks.push(current);
      current = undefined;
    } else if (opening.test(line)) {
      problems.push(
        `${i + 1}: a fence with an info string inside the block opened on line ${current.open + 1}`,
      );
    }
  });
  if (current) problems.push(`${current.open + 1}: code block is never closed`);
  return { blocks, problems };
}
