import { defineEntity, onEvent } from '@listen-to-yourself/core';
import { HealthModelUpdated, SyncRefused } from '../contracts';
import { observe, observeRefusal, type Coaching } from './coaching';
import { HealthObserved, RefusalObserved } from './events';

// #region coach-handlers
/**
 * The coach's subscription to the fitness service's topic, in its own group: each model update becomes the
 * coach's own HealthObserved and each refused upload its own RefusalObserved (its topic, one transaction with the
 * consumed offset), which its own entity's reducers apply to its own store, where it decides what to tell the
 * user.
 */
export function coachHandlers(options: {
  group: string;
  fitnessTopic: string;
  /** Told of every announcement the coach reads (the demo prints them). */
  onRead?: (line: string) => void;
}) {
  return [
    onEvent(
      HealthModelUpdated,
      (e) => {
        options.onRead?.(
          `read ${e.type} of ${e.payload.userId} (upload ${e.payload.uploadId}, days ${e.payload.days.map((d) => d.day).join(' ')})`,
        );
        return [
          HealthObserved.of({
            userId: e.payload.userId,
            uploadId: e.payload.uploadId,
            stepGoal: e.payload.stepGoal,
            days: e.payload.days.map((d) => ({ day: d.day, steps: d.steps })),
            ...(e.payload.restingTrendBpmPerDay === undefined
              ? {}
              : { restingTrendBpmPerDay: e.payload.restingTrendBpmPerDay }),
            trendNights: e.payload.trendNights,
          }),
        ];
      },
      { group: options.group, topic: options.fitnessTopic },
    ),
    onEvent(
      SyncRefused,
      (e) => {
        options.onRead?.(
          `read ${e.type} of ${e.payload.userId} (upload ${e.payload.uploadId}): ${e.payload.reason}`,
        );
        return [RefusalObserved.of(e.payload)];
      },
      { group: options.group, topic: options.fitnessTopic },
    ),
  ];
}

/** The coach's own entity: what it decided to tell each user, from its own events. */
export const CoachingEntity = defineEntity<Coaching>('coaching')
  .on(RefusalObserved, (c, e) => observeRefusal(c, e.payload))
  .on(HealthObserved, (c, e) => observe(c, e.payload));
// #endregion coach-handlers
