import type { z } from 'zod';
import type { DeviceSynced, HealthModelUpdated, dayModel } from './contracts';
import { dayOf, daysBetween, isNight } from './days';
import { restingBpm, restingTrend } from './resting-rate';

type Upload = (typeof DeviceSynced)['schema']['_output'];
type Update = (typeof HealthModelUpdated)['schema']['_output'];
type DayView = z.infer<typeof dayModel>;

/** The rules the model holds every upload to; only stored history can judge these. */
export const modelRules = Object.freeze({
  stepGoal: 10_000,
  /** A day closes this many days after the latest day the model has seen: later uploads for it are refused. */
  closeAfterDays: 2,
  /** Nights the resting-rate trend looks back over. */
  trendNights: 7,
  /** How far a device's clock may go back behind its own last upload, or differ from the service's. */
  clockToleranceMs: 3_600_000,
  /** Days kept in the model. */
  keepDays: 30,
});

interface Day {
  steps: number;
  sleepMinutes: number;
  restingBpm?: number;
  /** Night readings, kept while the day is open (they are reduced to restingBpm when it closes). */
  night: { at: string; bpm: number }[];
}

/** One user's health model, built by the self-consumer from every accepted upload. */
export interface HealthModel {
  userId: string;
  latestDay: string;
  days: Record<string, Day>;
  devices: Record<string, { lastSentAt: string }>;
  uploads: number;
}

export type SyncDecision =
  { kind: 'applied'; model: HealthModel; update: Update } | { kind: 'refused'; reason: string };

/**
 * Applies one upload to the model, or refuses it with the reason. `receivedAt` is when the service took the upload
 * (the record's produced-at time); a device whose clock is far from it, or far behind its own last upload, is
 * refused, and so is an upload for a closed day. Pure: the same model and upload give the same decision.
 */
export function applyUpload(model: HealthModel | undefined, u: Upload, receivedAt?: string): SyncDecision {
  const refusal = judge(model, u, receivedAt);
  if (refusal) return { kind: 'refused', reason: refusal };
  const days: Record<string, Day> = structuredClone(model?.days ?? {});
  const day = (d: string) => (days[d] ??= { steps: 0, sleepMinutes: 0, night: [] });
  const touched = new Set<string>();
  for (const s of u.steps) {
    touched.add(dayOf(s.at));
    day(dayOf(s.at)).steps += s.count;
  }
  for (const s of u.sleep) {
    touched.add(dayOf(s.to));
    day(dayOf(s.to)).sleepMinutes += Math.round((Date.parse(s.to) - Date.parse(s.from)) / 60_000);
  }
  for (const r of u.heartRate) {
    if (!isNight(r.at)) continue;
    const d = day(dayOf(r.at));
    touched.add(dayOf(r.at));
    d.night.push({ at: r.at, bpm: r.bpm });
    d.restingBpm = restingBpm(d.night);
  }
  const latestDay = [model?.latestDay ?? '', ...touched].sort().at(-1)!;
  closeAndPrune(days, latestDay);
  const next: HealthModel = {
    userId: u.userId,
    latestDay,
    days,
    devices: { ...model?.devices, [u.deviceId]: { lastSentAt: u.sentAt } },
    uploads: (model?.uploads ?? 0) + 1,
  };
  const trend = trendOf(next);
  return {
    kind: 'applied',
    model: next,
    update: {
      userId: u.userId,
      uploadId: u.uploadId,
      stepGoal: modelRules.stepGoal,
      days: [...touched].sort().map((d) => viewOf(d, days[d]!)),
      ...(trend.bpmPerDay === undefined ? {} : { restingTrendBpmPerDay: trend.bpmPerDay }),
      trendNights: trend.nights,
    },
  };
}

function judge(
  model: HealthModel | undefined,
  u: Upload,
  receivedAt: string | undefined,
): string | undefined {
  const sent = Date.parse(u.sentAt);
  if (receivedAt && Math.abs(sent - Date.parse(receivedAt)) > modelRules.clockToleranceMs)
    return `device clock far off: it sent at ${u.sentAt}, the service received at ${receivedAt}`;
  const last = model?.devices[u.deviceId]?.lastSentAt;
  if (last && Date.parse(last) - sent > modelRules.clockToleranceMs)
    return `device clock far off: this upload was sent at ${u.sentAt}, after one sent at ${last}`;
  if (!model) return undefined;
  const times = [...u.steps.map((s) => s.at), ...u.heartRate.map((s) => s.at), ...u.sleep.map((s) => s.to)];
  const closed = [...new Set(times.map(dayOf))].filter((d) => isClosed(d, model.latestDay)).sort();
  return closed.length
    ? `day ${closed.join(', ')} is closed (the model is at ${model.latestDay})`
    : undefined;
}

function isClosed(day: string, latestDay: string): boolean {
  return daysBetween(day, latestDay) > modelRules.closeAfterDays;
}

function closeAndPrune(days: Record<string, Day>, latestDay: string): void {
  for (const [d, v] of Object.entries(days)) {
    if (daysBetween(d, latestDay) >= modelRules.keepDays) delete days[d];
    else if (isClosed(d, latestDay)) v.night = [];
  }
}

/** The resting-rate trend over the last nights that have a resting rate. */
export function trendOf(model: HealthModel): { bpmPerDay: number | undefined; nights: number } {
  const nights = Object.entries(model.days)
    .filter(
      ([d, v]) => v.restingBpm !== undefined && daysBetween(d, model.latestDay) < modelRules.trendNights,
    )
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, v]) => ({ day, bpm: v.restingBpm! }));
  return { bpmPerDay: restingTrend(nights), nights: nights.length };
}

/** A day as the model announces it, with its activity score. */
export function viewOf(day: string, d: Day): DayView {
  const score = 70 * Math.min(d.steps / modelRules.stepGoal, 1) + 30 * Math.min(d.sleepMinutes / (8 * 60), 1);
  return {
    day,
    steps: d.steps,
    sleepMinutes: d.sleepMinutes,
    ...(d.restingBpm === undefined ? {} : { restingBpm: d.restingBpm }),
    activityScore: Math.round(score),
  };
}
