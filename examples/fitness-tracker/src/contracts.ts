import { defineEvent } from '@listen-to-yourself/core';
import { z } from 'zod';

// The fitness service's published events: the coach (and any other subscriber) imports these definitions.

const isoTime = z.iso.datetime({ offset: true });

// #region events
/** One upload of a device: what it measured since its last sync. The user's id is the key (per-user order). */
export const DeviceSynced = defineEvent({
  type: 'fitness.DeviceSynced',
  schema: z.object({
    userId: z.string(),
    deviceId: z.string(),
    uploadId: z.string(),
    /** The device's clock when it sent the upload. */
    sentAt: isoTime,
    steps: z.array(z.object({ at: isoTime, count: z.number().int().nonnegative() })),
    heartRate: z.array(z.object({ at: isoTime, bpm: z.number().int().positive() })),
    sleep: z.array(z.object({ from: isoTime, to: isoTime })),
  }),
  key: (e) => e.userId,
});

/** A day of the health model, as the fitness service computed it from every accepted upload. */
export const dayModel = z.object({
  day: z.string(),
  steps: z.number().int().nonnegative(),
  /** Minutes asleep in the night that ended on this day. */
  sleepMinutes: z.number().int().nonnegative(),
  /** Lowest sustained heart rate of the night that ended on this day, when the device measured it. */
  restingBpm: z.number().optional(),
  /** 0-100: steps against the goal (70) and sleep against 8 hours (30). */
  activityScore: z.number().int().min(0).max(100),
});

/** The health model changed: announced by the fitness service's own apply, with the state it decided. */
export const HealthModelUpdated = defineEvent({
  type: 'fitness.HealthModelUpdated',
  schema: z.object({
    userId: z.string(),
    /** The upload that changed it. */
    uploadId: z.string(),
    stepGoal: z.number().int().positive(),
    /** The days this upload changed, oldest first. */
    days: z.array(dayModel),
    /** Resting heart rate change per day over the last nights (least squares); absent below 3 nights. */
    restingTrendBpmPerDay: z.number().optional(),
    /** Nights the trend is computed over. */
    trendNights: z.number().int().nonnegative(),
  }),
  key: (e) => e.userId,
});

/** An upload the health model cannot take (a closed day, a device clock far off): the model is unchanged. */
export const SyncRefused = defineEvent({
  type: 'fitness.SyncRefused',
  schema: z.object({ userId: z.string(), deviceId: z.string(), uploadId: z.string(), reason: z.string() }),
  key: (e) => e.userId,
});
// #endregion events
