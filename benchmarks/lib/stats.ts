// Summaries the benchmarks print: min / median / max over rounds, percentiles over samples.

export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export function spread(xs: readonly number[]): Spread {
  if (xs.length === 0) throw new Error('spread() of no figures');
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]! };
}

/** Nearest-rank percentile (p in 0..100) of samples; sorts a copy. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile() of no samples');
  const s = Float64Array.from(samples).sort();
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1]!;
}

/** Least-squares slope of y over x (units of y per unit of x). */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2 || ys.length !== n) throw new Error('slope() needs two or more (x, y) pairs');
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;
