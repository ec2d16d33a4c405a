/** The UTC day of a time, YYYY-MM-DD: the example keeps days in UTC (a real tracker would use the user's zone). */
export function dayOf(time: string | number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (both YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Whether a time falls in the night that ends on its day: 00:00 to 06:00 UTC. */
export function isNight(time: string): boolean {
  return new Date(time).getUTCHours() < 6;
}
