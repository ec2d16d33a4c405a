// A line chart as plain SVG, for results with many x-axis points (memory sampled over minutes), where bars
// would be unreadable: one line per series through each point's median.
import type { BenchResult } from './results';
import { spread } from './stats';
import { esc, heading } from './svg-text';
import { niceStep } from './svg-chart';

const PALETTE = ['#2b6cb0', '#dd6b20', '#718096', '#38a169', '#805ad5'];
const W = 760;
const H = 410;
const M = { top: 84, right: 16, bottom: 64, left: 72 };

const fmt = (n: number) =>
  Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : String(Number(n.toPrecision(3)));

export function renderLines(result: BenchResult): string {
  const names = [...new Set(result.groups.flatMap((g) => g.series.map((s) => s.name)))];
  const top = Math.max(0, ...result.groups.flatMap((g) => g.series.flatMap((s) => s.rounds)));
  const step = niceStep(top);
  const yMax = Math.max(step, Math.ceil(top / step) * step);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const n = result.groups.length;
  const x = (i: number) => M.left + (n <= 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  const y = (v: number) => M.top + plotH - (v / yMax) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ` +
      `font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    ...heading(
      M.left,
      result.title,
      `${result.unit}, ${result.higherIsBetter ? 'higher' : 'lower'} is better` +
        (result.notes ? `; ${result.notes}` : ''),
    ),
  ];
  for (let v = 0; v <= yMax + step / 2; v += step) {
    out.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${y(v)}" y2="${y(v)}" stroke="#e2e8f0"/>`,
      `<text x="${M.left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#555">${fmt(v)}</text>`,
    );
  }
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
