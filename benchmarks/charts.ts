// Draws docs/benchmarks/<id>.svg from every benchmarks/results/<id>.json the last `pnpm bench` wrote.
// Run: node --import tsx benchmarks/charts.ts
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR, type BenchResult } from './lib/results';
import { renderChart } from './lib/svg-chart';

const target = join(RESULTS_DIR, '..', '..', 'docs', 'benchmarks');
if (!existsSync(RESULTS_DIR)) {
  console.error(`no results in ${RESULTS_DIR}: run the benchmarks first (pnpm bench)`);
  process.exit(1);
}
mkdirSync(target, { recursive: true });
const files = readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json'));
for (const f of files.sort()) {
  const result = JSON.parse(readFileSync(join(RESULTS_DIR, f), 'utf8')) as BenchResult;
  const svg = join(target, `${result.id}.svg`);
  writeFileSync(svg, renderChart(result));
  console.log(`chart: ${svg}`);
}
if (files.length === 0) console.log('no results to draw');
