import { daysBetween } from './days';

/** Consecutive night readings that must all be low for a rate to count as sustained. */
export const SUSTAINED_READINGS = 3;

/**
 * The resting heart rate of a night: the lowest mean over any {@link SUSTAINED_READINGS} consecutive readings
 * (a single low reading is noise, not rest). Undefined with fewer readings.
 */
export function restingBpm(night: readonly { at: string; bpm: number }[]): number | undefined {
  const sorted = [...night].sort((a, b) => a.at.localeCompare(b.at));
  let best: number | undefined;
  for (let i = 0; i + SUSTAINED_READINGS <= sorted.length; i++) {
    const window = sorted.slice(i, i + SUSTAINED_READINGS);
    const mean = window.reduce((s, r) => s + r.bpm, 0) / SUSTAINED_READINGS;
    if (best === undefined || mean < best) best = mean;
  }
  return best === undefined ? undefined : Math.round(best * 10) / 10;
}

/**
 * The trend of the resting rate: the least-squares slope in bpm per day over the nights given (day, bpm), or
 * undefined below 3 nights. Rounded to 0.01.
 */
export function restingTrend(nights: readonly { day: string; bpm: number }[]): number | undefined {
  if (nights.length < 3) return undefined;
  const first = nights[0]!.day;
  const xs = nights.map((n) => daysBetween(first, n.day));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = nights.reduce((a, n) => a + n.bpm, 0) / nights.length;
  let num = 0;
  let den = 0;
  nights.forEach((n, i) => {
    num += (xs[i]! - mx) * (n.bpm - my);
    den += (xs[i]! - mx) ** 2;
  });
  return den === 0 ? undefined : Math.round((num / den) * 100) / 100;
}
