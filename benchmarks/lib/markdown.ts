// The tables of docs/benchmarks/results.md, written from the same results/<id>.json as the charts, so no figure
// on the page is typed in by hand.
import type { BenchResult } from './results';
import { spread } from './stats';

const num = (n: number) =>
  Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : Number(n.toPrecision(3)).toString();

/** One section per result: its chart, then a row per group with every series' min / median / max. */
export function resultSection(
  result: BenchResult & { measuredAt?: string },
  options: { table: boolean } = { table: true },
): string {
  const names = [...new Set(result.groups.flatMap((g) => g.series.map((s) => s.name)))];
  const [first, second] = names;
  const lines = [
    `## ${result.title}`,
    '',
    `${result.unit}, ${result.higherIsBetter ? 'higher' : 'lower'} is better` +
      `${result.notes ? `; ${result.notes}` : ''}${result.measuredAt ? `; measured ${result.measuredAt}` : ''}.`,
    '',
    `![${result.title}](${result.id}.svg)`,
    '',
  ];
  // A long series (samples over time) is its chart; its summary is another result's table.
  if (!options.table) return `${lines.join('\n')}\n`;
  lines.push(
    `| ${result.groupBy} | ${names.map((n) => `${n} min / median / max`).join(' | ')} |` +
      (second ? ` ${first} / ${second} |` : ''),
    `| ---: | ${names.map(() => '---:').join(' | ')} |${second ? ' ---: |' : ''}`,
  );
  for (const g of result.groups) {
    const cells = names.map((n) => {
      const s = g.series.find((x) => x.name === n);
      if (!s || s.rounds.length === 0) return '–';
      const { min, median, max } = spread(s.rounds);
      return `${num(min)} / **${num(median)}** / ${num(max)}`;
    });
    const a = g.series.find((x) => x.name === first);
    const b = g.series.find((x) => x.name === second);
    const ratio =
      a && b && a.rounds.length > 0 && b.rounds.length > 0
        ? ` ${(spread(a.rounds).median / spread(b.rounds).median).toFixed(2)}× |`
        : second
          ? ' – |'
          : '';
    lines.push(`| ${g.label} | ${cells.join(' | ')} |${ratio}`);
  }
  return `${lines.join('\n')}\n`;
}
