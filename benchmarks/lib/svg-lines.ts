// A line chart as plain SVG, for results with many x-axis points (memory sampled over minutes), where bars
// would be unreadable: one line per series through each point's median.
import type { BenchResult } from './results';
import { spread } from './stats';
import { H, M, PALETTE, W, frame, plotW } from './svg-frame';
import { esc } from './svg-text';

export function renderLines(result: BenchResult): string {
  const { names, y, out } = frame(
    result,
    `${result.unit}, ${result.higherIsBetter ? 'higher' : 'lower'} is better` +
      (result.notes ? `; ${result.notes}` : ''),
  );
  const n = result.groups.length;
  const x = (i: number) => M.left + (n <= 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  // About eight labels on the x axis, whatever the number of samples.
  const every = Math.max(1, Math.ceil(n / 8));
  result.groups.forEach((g, i) => {
    if (i % every === 0 || i === n - 1) {
      out.push(`<text x="${x(i)}" y="${H - M.bottom + 18}" text-anchor="middle">${esc(g.label)}</text>`);
    }
  });
  names.forEach((name, si) => {
    const points = result.groups
      .map((g, i) => {
        const s = g.series.find((z) => z.name === name);
        return s && s.rounds.length > 0 ? `${x(i).toFixed(1)},${y(spread(s.rounds).median).toFixed(1)}` : '';
      })
      .filter(Boolean);
    out.push(
      `<polyline fill="none" stroke="${PALETTE[si % PALETTE.length]!}" stroke-width="2" points="${points.join(' ')}"/>`,
      `<rect x="${M.left + si * 170}" y="${H - 16}" width="12" height="12" fill="${PALETTE[si % PALETTE.length]!}"/>`,
      `<text x="${M.left + si * 170 + 18}" y="${H - 6}">${esc(name)}</text>`,
    );
  });
  out.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${y(0)}" y2="${y(0)}" stroke="#1a202c"/>`,
    `<text x="${M.left + plotW / 2}" y="${H - M.bottom + 36}" text-anchor="middle" fill="#555">` +
      `${esc(result.groupBy)}</text>`,
    '</svg>',
  );
  return `${out.join('\n')}\n`;
}
