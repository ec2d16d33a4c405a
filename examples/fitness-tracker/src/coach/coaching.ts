import type { PayloadOf } from '@listen-to-yourself/core';
import type { HealthObserved, RefusalObserved } from './events';

/** When the coach speaks up. */
export const coachRules = Object.freeze({
  /** A resting rate climbing this fast (bpm per day) over at least `minNights` nights is worth a word. */
  risingBpmPerDay: 1,
  /** Below this the episode is over, and a later rise is news again. */
  settledBpmPerDay: 0.5,
  minNights: 3,
});

export interface Notification {
  /** One per fact: `goal-reached:<day>`, `resting-rate-rising:<n>`, `sync-refused:<device>:<upload>`. */
  id: string;
  kind: 'goal-reached' | 'resting-rate-rising' | 'sync-refused';
  message: string;
  /** The upload whose model update led to it. */
  uploadId: string;
}

/** What the coach remembers of one user. */
export interface Coaching {
  userId: string;
  goalDays: string[];
  rising: boolean;
  risingEpisodes: number;
  /** The upload of the latest model update observed. */
  lastUploadId: string;
  notifications: Notification[];
}

/**
 * The coach's decision on one observed model update: a notification the first time a day reaches the goal, and
 * when the resting rate starts rising (once per episode). Pure, so a redelivery decides the same.
 */
export function observe(c: Coaching | undefined, o: PayloadOf<typeof HealthObserved>): Coaching {
  const next = copy(c, o.userId, o.uploadId);
  for (const d of o.days) {
    if (d.steps < o.stepGoal || next.goalDays.includes(d.day)) continue;
    next.goalDays.push(d.day);
    next.notifications.push({
      id: `goal-reached:${d.day}`,
      kind: 'goal-reached',
      message: `Goal reached on ${d.day}: ${d.steps} steps (goal ${o.stepGoal}).`,
      uploadId: o.uploadId,
    });
  }
  const trend = o.restingTrendBpmPerDay;
  if (trend !== undefined && o.trendNights >= coachRules.minNights) {
    if (!next.rising && trend >= coachRules.risingBpmPerDay) {
      next.rising = true;
      next.risingEpisodes++;
      next.notifications.push({
        id: `resting-rate-rising:${next.risingEpisodes}`,
        kind: 'resting-rate-rising',
        message: `Resting heart rate rising by ${trend} bpm a day over ${o.trendNights} nights: take it easy.`,
        uploadId: o.uploadId,
      });
    } else if (next.rising && trend < coachRules.settledBpmPerDay) next.rising = false;
  }
  return next;
}

/** An upload the model refused: the user hears why (a wrong clock on a device is theirs to fix). */
export function observeRefusal(c: Coaching | undefined, r: PayloadOf<typeof RefusalObserved>): Coaching {
  const next = copy(c, r.userId, r.uploadId);
  next.notifications.push({
    id: `sync-refused:${r.deviceId}:${r.uploadId}`,
    kind: 'sync-refused',
    message: `An upload from ${r.deviceId} was not taken: ${r.reason}.`,
    uploadId: r.uploadId,
  });
  return next;
}

function copy(c: Coaching | undefined, userId: string, uploadId: string): Coaching {
  return c
    ? { ...c, goalDays: [...c.goalDays], notifications: [...c.notifications], lastUploadId: uploadId }
    : { userId, goalDays: [], rising: false, risingEpisodes: 0, lastUploadId: uploadId, notifications: [] };
}
