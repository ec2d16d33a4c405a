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
const sections: string[] = [];
for (const f of files.sort()) {
  const result = JSON.parse(readFileSync(join(RESULTS_DIR, f), 'utf8')) as BenchResult;
  const svg = join(target, `${result.id}.svg`);
  const lines = result.groups.length > LINES_FROM_POINTS;
  writeFileSync(svg, lines ? renderLines(result) : renderChart(result));
  sections.push(resultSection(result, { table: !lines }));
  console.log(`chart: ${svg}`);
}
const page = join(target, 'results.md');
writeFileSync(
  page,
  '# Benchmark results\n\nWritten by `benchmarks/charts.ts` from the figures of the last `pnpm bench` run; ' +
    'how they were measured and what they mean: [benchmarks.md](../benchmarks.md).\n\n' +
    sections.join('\n'),
);
console.log(files.length === 0 ? 'no results to draw' : `tables: ${page}`);
