import { defineEvent } from '@listen-to-yourself/core';
import { z } from 'zod';

// #region coach-events
/**
 * The coach's own record of a model update it read from the fitness service's topic: produced to the coach's
 * topic in one transaction with the consumed offset, then applied by the coach's own reducer, which decides.
 */
export const HealthObserved = defineEvent({
  type: 'coach.HealthObserved',
  schema: z.object({
    userId: z.string(),
    uploadId: z.string(),
    stepGoal: z.number().int().positive(),
    days: z.array(z.object({ day: z.string(), steps: z.number().int() })),
    restingTrendBpmPerDay: z.number().optional(),
    trendNights: z.number().int(),
  }),
  key: (e) => e.userId,
});

/** The coach's record of an upload the fitness service refused, read from its topic like a model update. */
export const RefusalObserved = defineEvent({
  type: 'coach.RefusalObserved',
  schema: z.object({ userId: z.string(), deviceId: z.string(), uploadId: z.string(), reason: z.string() }),
  key: (e) => e.userId,
});
// #endregion coach-events
