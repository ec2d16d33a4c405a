import { describe, expect, it } from 'vitest';
import { observe, observeRefusal } from './coaching';

const seen = (over: Partial<Parameters<typeof observe>[1]> = {}) => ({
  userId: 'u1',
  uploadId: 'up',
  stepGoal: 10_000,
  days: [],
  trendNights: 0,
  ...over,
});

describe('the coach', () => {
  it('notifies a reached goal once per day', () => {
    let c = observe(undefined, seen({ days: [{ day: '2026-11-20', steps: 9000 }] }));
    expect(c.notifications).toEqual([]);
    c = observe(c, seen({ days: [{ day: '2026-11-20', steps: 10_200 }] }));
    c = observe(c, seen({ days: [{ day: '2026-11-20', steps: 12_000 }] }));
    expect(c.notifications.map((n) => n.id)).toEqual(['goal-reached:2026-11-20']);
  });

  it('notifies a rising resting rate once per episode, and again after it settled', () => {
    let c = observe(undefined, seen({ restingTrendBpmPerDay: 2, trendNights: 2 }));
    expect(c.notifications).toEqual([]);
    c = observe(c, seen({ restingTrendBpmPerDay: 2, trendNights: 3 }));
    c = observe(c, seen({ restingTrendBpmPerDay: 1.5, trendNights: 4 }));
    expect(c.notifications.map((n) => n.id)).toEqual(['resting-rate-rising:1']);
    c = observe(c, seen({ restingTrendBpmPerDay: 0.1, trendNights: 5 }));
    c = observe(c, seen({ restingTrendBpmPerDay: 1.2, trendNights: 5 }));
    expect(c.notifications.map((n) => n.id)).toEqual(['resting-rate-rising:1', 'resting-rate-rising:2']);
  });

  it('tells the user why an upload was refused', () => {
    const c = observeRefusal(undefined, {
      userId: 'u1',
      deviceId: 'phone',
      uploadId: 'p1',
      reason: 'day closed',
    });
    expect(c.notifications).toEqual([
      {
        id: 'sync-refused:phone:p1',
        kind: 'sync-refused',
        message: 'An upload from phone was not taken: day closed.',
        uploadId: 'p1',
      },
    ]);
  });
});
