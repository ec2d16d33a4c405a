// Draws docs/benchmarks/<id>.svg and the tables of docs/benchmarks/results.md from every
// benchmarks/results/<id>.json the last `pnpm bench` wrote.
// Run: node --conditions=@listen-to-yourself/source --import tsx benchmarks/charts.ts
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR, type BenchResult } from './lib/results';
import { resultSection } from './lib/markdown';
import { renderChart } from './lib/svg-chart';
import { renderLines } from './lib/svg-lines';

// Past this many x-axis points bars are unreadable: a line per series instead (memory sampled over minutes).
const LINES_FROM_POINTS = 20;

const target = join(RESULTS_DIR, '..', '..', 'docs', 'benchmarks');
if (!existsSync(RESULTS_DIR)) {
  console.error(`no results in ${RESULTS_DIR}: run the benchmarks first (pnpm bench)`);
  process.exit(1);
}
mkdirSync(target, { recursive: true });
const files = readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json'));
const page = join(target, 'results.md');
// A run of some scripts only (`pnpm bench e2e/`) redraws their sections and keeps the others' from the page.
const sections = new Map(earlierSections(page));
for (const f of files.sort()) {
  const result = JSON.parse(readFileSync(join(RESULTS_DIR, f), 'utf8')) as BenchResult;
  const svg = join(target, `${result.id}.svg`);
  const lines = result.groups.length > LINES_FROM_POINTS;
  writeFileSync(svg, lines ? renderLines(result) : renderChart(result));
  sections.set(result.id, resultSection(result, { table: !lines }));
  console.log(`chart: ${svg}`);
}
writeFileSync(
  page,
  '# Benchmark results\n\nWritten by `benchmarks/charts.ts` from the figures of the `pnpm bench` runs; ' +
    'how they were measured and what they mean: [benchmarks.md](../benchmarks.md).\n\n' +
    [...sections]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, text]) => text)
      .join('\n'),
);
console.log(files.length === 0 ? 'no results to draw' : `tables: ${page}`);

/** The sections of an existing results page, by the id of the chart each shows. */
function earlierSections(file: string): [string, string][] {
  if (!existsSync(file)) return [];
  const out: [string, string][] = [];
  for (const part of readFileSync(file, 'utf8')
    .split(/^(?=## )/m)
    .slice(1)) {
    const id = /\]\(([^)]+)\.svg\)/.exec(part)?.[1];
    if (id) out.push([id, part.replace(/\n+$/, '\n')]);
  }
  return out;
}
