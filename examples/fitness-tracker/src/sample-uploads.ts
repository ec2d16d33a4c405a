import type { SyncInput } from './sync-command';

/** What a device measured on one day, for the demo and the tests. */
export interface DayPlan {
  /** YYYY-MM-DD. */
  day: string;
  steps: number;
  /** Night readings from 01:00 UTC, one every 20 minutes. */
  nightBpm?: number[];
  /** Sleep from 23:00 the evening before, in minutes. */
  sleepMinutes?: number;
}

/**
 * The body of an upload (without its device id, which the URL names) covering the days planned: steps in hourly
 * samples from 08:00, night heart rate, one sleep interval per night. Sent at `sentAt` (the device's clock).
 */
export function uploadOf(
  userId: string,
  uploadId: string,
  sentAt: string,
  days: readonly DayPlan[],
): Omit<SyncInput, 'deviceId'> {
  const steps: { at: string; count: number }[] = [];
  const heartRate: { at: string; bpm: number }[] = [];
  const sleep: { from: string; to: string }[] = [];
  for (const d of days) {
    const hours = Math.max(1, Math.ceil(d.steps / 5000));
    for (let h = 0; h < hours; h++) {
      const count = h < hours - 1 ? 5000 : d.steps - 5000 * (hours - 1);
      steps.push({ at: at(d.day, 8 + h), count });
    }
    (d.nightBpm ?? []).forEach((bpm, i) => heartRate.push({ at: at(d.day, 1, 20 * i), bpm }));
    if (d.sleepMinutes) {
      const from = Date.parse(`${d.day}T00:00:00Z`) - 60 * 60_000;
      sleep.push({
        from: new Date(from).toISOString(),
        to: new Date(from + d.sleepMinutes * 60_000).toISOString(),
      });
    }
  }
  return { userId, uploadId, sentAt, steps, heartRate, sleep };
}

function at(day: string, hour: number, minutes = 0): string {
  const t = Date.parse(`${day}T00:00:00Z`) + hour * 3_600_000 + minutes * 60_000;
  return new Date(t).toISOString();
}

/** The UTC day `n` days before now. */
export function daysAgo(n: number, now = Date.now()): string {
  return new Date(now - n * 86_400_000).toISOString().slice(0, 10);
}
