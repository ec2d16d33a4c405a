// What both chart kinds share: the canvas, the title block, the y scale from 0 to a round number past the
// largest figure, and its grid lines.
import type { BenchResult } from './results';
import { heading } from './svg-text';

export const PALETTE = ['#2b6cb0', '#dd6b20', '#718096', '#38a169', '#805ad5'];
export const W = 760;
export const H = 410;
export const M = { top: 84, right: 16, bottom: 78, left: 72 };
export const plotW = W - M.left - M.right;
export const plotH = H - M.top - M.bottom;

/** Tick step of 1, 2 or 5 × 10^k giving about five ticks up to `max`. */
export function niceStep(max: number): number {
  if (!(max > 0)) return 1;
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / mag;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * mag;
}

export const fmt = (n: number): string =>
  Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : Number(n.toPrecision(3)).toString();

/** The series names in order of first appearance, the y mapping, and the opening SVG lines (canvas to grid). */
export function frame(
  result: BenchResult,
  subtitle: string,
): { names: string[]; y: (v: number) => number; out: string[] } {
  const names = [...new Set(result.groups.flatMap((g) => g.series.map((s) => s.name)))];
  const top = Math.max(0, ...result.groups.flatMap((g) => g.series.flatMap((s) => s.rounds)));
  const step = niceStep(top);
  const yMax = Math.max(step, Math.ceil(top / step) * step);
  const y = (v: number) => M.top + plotH - (v / yMax) * plotH;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ` +
      `font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    ...heading(M.left, result.title, subtitle),
  ];
  for (let v = 0; v <= yMax + step / 2; v += step) {
    out.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${y(v)}" y2="${y(v)}" stroke="#e2e8f0"/>`,
      `<text x="${M.left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#555">${fmt(v)}</text>`,
    );
  }
  return { names, y, out };
}
