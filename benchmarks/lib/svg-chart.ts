// A grouped bar chart as plain SVG (no dependency): one group per x-axis point, one bar per series at its
// median, a whisker from min to max over the rounds, so the spread of a noisy machine stays visible.
import type { BenchResult } from './results';
import { spread } from './stats';
import { H, M, PALETTE, W, fmt, frame, plotW } from './svg-frame';
import { esc } from './svg-text';

export function renderChart(result: BenchResult): string {
  const [a0, b0] = result.groups[0]?.series ?? [];
  const ratioNames = a0 && b0 ? `${a0.name} / ${b0.name}` : undefined;
  const { names, y, out } = frame(
    result,
    `${result.unit}, ${result.higherIsBetter ? 'higher' : 'lower'} is better; bar = median, line = min–max` +
      (ratioNames ? `; under each group: ${ratioNames} (ratio of medians)` : '') +
      (result.notes ? `; ${result.notes}` : ''),
  );
  const groupW = plotW / Math.max(1, result.groups.length);
  const barW = Math.min(48, (groupW * 0.8) / Math.max(1, names.length));
  result.groups.forEach((g, gi) => {
    const gx = M.left + gi * groupW + (groupW - barW * names.length) / 2;
    g.series.forEach((s) => {
      const si = names.indexOf(s.name);
      if (s.rounds.length === 0) return;
      const { min, median, max } = spread(s.rounds);
      const x = gx + si * barW;
      const color = PALETTE[si % PALETTE.length]!;
      out.push(
        `<rect x="${x + 2}" y="${y(median)}" width="${barW - 4}" height="${y(0) - y(median)}" fill="${color}">` +
          `<title>${esc(`${s.name} ${g.label}: median ${fmt(median)} (${fmt(min)}–${fmt(max)})`)}</title></rect>`,
        `<line x1="${x + barW / 2}" x2="${x + barW / 2}" y1="${y(max)}" y2="${y(min)}" stroke="#1a202c"/>`,
        `<text x="${x + barW / 2}" y="${y(max) - 4}" text-anchor="middle" font-size="10">${fmt(median)}</text>`,
      );
    });
    out.push(
      `<text x="${M.left + gi * groupW + groupW / 2}" y="${H - M.bottom + 18}" text-anchor="middle">` +
        `${esc(g.label)}</text>`,
    );
    // The ratio of the first two series' medians: what the text of the page compares.
    const [a, b] = g.series;
    if (a && b && a.rounds.length > 0 && b.rounds.length > 0) {
      const r = spread(a.rounds).median / spread(b.rounds).median;
      out.push(
        `<text x="${M.left + gi * groupW + groupW / 2}" y="${H - M.bottom + 32}" text-anchor="middle" ` +
          `fill="#555" font-size="11">${r.toFixed(2)}×</text>`,
      );
    }
  });
  out.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${y(0)}" y2="${y(0)}" stroke="#1a202c"/>`,
    `<text x="${M.left + plotW / 2}" y="${H - M.bottom + 50}" text-anchor="middle" fill="#555">` +
      `${esc(result.groupBy)}</text>`,
  );
  names.forEach((n, i) => {
    const x = M.left + i * 170;
    out.push(
      `<rect x="${x}" y="${H - 16}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]!}"/>`,
      `<text x="${x + 18}" y="${H - 6}">${esc(n)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
