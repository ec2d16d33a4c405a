// Every benchmark script writes what it measured to benchmarks/results/<id>.json, so that `benchmarks/charts.ts`
// can draw the charts of docs/benchmarks.md from the figures of the same run (never typed in by hand).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** One measured series (framework, or a baseline) at one point of a group: every round's figure. */
export interface SeriesResult {
  readonly name: string;
  /** One figure per round, in the unit of the result. */
  readonly rounds: readonly number[];
}

/** A point of the chart's x axis (a batch size, a concurrency, a rate) with every series measured there. */
export interface GroupResult {
  readonly label: string;
  readonly series: readonly SeriesResult[];
}

/** What one benchmark measured: drawn as one grouped bar chart (median bar, min–max whisker per series). */
export interface BenchResult {
  /** File-safe id: results/<id>.json and docs/benchmarks/<id>.svg. */
  readonly id: string;
  readonly title: string;
  /** Unit of every figure, e.g. 'events/s' or 'ms'. */
  readonly unit: string;
  readonly higherIsBetter: boolean;
  /** What the x axis groups are, e.g. 'batch size'. */
  readonly groupBy: string;
  readonly groups: readonly GroupResult[];
  /** Free-form facts of the run (event counts, settings), printed under the chart's title. */
  readonly notes?: string;
}

export function writeResult(result: BenchResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${result.id}.json`);
  const stamped = { ...result, measuredAt: new Date().toISOString() };
  writeFileSync(file, `${JSON.stringify(stamped, null, 2)}\n`);
  console.log(`results written to ${file}`);
  return file;
}
