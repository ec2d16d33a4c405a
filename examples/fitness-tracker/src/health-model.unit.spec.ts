import { describe, expect, it } from 'vitest';
import { applyUpload, modelRules, type HealthModel } from './health-model';
import { restingBpm, restingTrend } from './resting-rate';

const upload = (over: Partial<Parameters<typeof applyUpload>[1]> = {}) => ({
  userId: 'u1',
  deviceId: 'watch',
  uploadId: 'up-1',
  sentAt: '2026-11-20T09:00:00Z',
  steps: [],
  heartRate: [],
  sleep: [],
  ...over,
});

function applied(model: HealthModel | undefined, u: ReturnType<typeof upload>, at?: string) {
  const d = applyUpload(model, u, at);
  if (d.kind !== 'applied') throw new Error(`refused: ${d.reason}`);
  return d;
}

describe('the health model', () => {
  it('sums steps per day, sleep per night, and announces the days an upload changed', () => {
    const d = applied(
      undefined,
      upload({
        steps: [
          { at: '2026-11-20T07:00:00Z', count: 6000 },
          { at: '2026-11-20T08:00:00Z', count: 4500 },
          { at: '2026-11-19T20:00:00Z', count: 300 },
        ],
        sleep: [{ from: '2026-11-19T23:00:00Z', to: '2026-11-20T06:30:00Z' }],
      }),
    );
    expect(d.update.days).toEqual([
      { day: '2026-11-19', steps: 300, sleepMinutes: 0, activityScore: 2 },
      { day: '2026-11-20', steps: 10_500, sleepMinutes: 450, activityScore: 98 },
    ]);
    expect(d.model.latestDay).toBe('2026-11-20');
  });

  it('takes the lowest sustained night rate as resting rate, and its trend over the nights', () => {
    expect(restingBpm([50, 70, 52, 53, 54].map((bpm, i) => ({ at: `2026-11-20T0${i}:00:00Z`, bpm })))).toBe(
      53,
    );
    expect(restingBpm([{ at: '2026-11-20T01:00:00Z', bpm: 40 }])).toBeUndefined();
    expect(
      restingTrend([
        { day: '2026-11-18', bpm: 50 },
        { day: '2026-11-19', bpm: 52 },
        { day: '2026-11-20', bpm: 54 },
      ]),
    ).toBe(2);
    expect(restingTrend([{ day: '2026-11-18', bpm: 50 }])).toBeUndefined();
    let model: HealthModel | undefined;
    let last: ReturnType<typeof applied> | undefined;
    for (const [i, day] of ['2026-11-18', '2026-11-19', '2026-11-20'].entries()) {
      const night = [0, 1, 2].map((h) => ({ at: `${day}T0${h + 2}:00:00Z`, bpm: 50 + 3 * i }));
      last = applied(model, upload({ uploadId: `n${i}`, sentAt: `${day}T09:00:00Z`, heartRate: night }));
      model = last.model;
    }
    expect(last?.update).toMatchObject({ restingTrendBpmPerDay: 3, trendNights: 3 });
  });

  it('refuses an upload for a closed day and a device clock far off, leaving the decision to history', () => {
    const first = applied(undefined, upload({ steps: [{ at: '2026-11-20T07:00:00Z', count: 10 }] })).model;
    const late = applyUpload(
      first,
      upload({ uploadId: 'up-2', steps: [{ at: '2026-11-16T07:00:00Z', count: 10 }] }),
    );
    expect(late).toEqual({
      kind: 'refused',
      reason: 'day 2026-11-16 is closed (the model is at 2026-11-20)',
    });
    // Within closeAfterDays it is still open.
    const open = applyUpload(
      first,
      upload({ uploadId: 'up-3', steps: [{ at: '2026-11-18T07:00:00Z', count: 1 }] }),
    );
    expect(open.kind).toBe('applied');
    const back = applyUpload(first, upload({ uploadId: 'up-4', sentAt: '2026-11-20T06:00:00Z', steps: [] }));
    expect(back).toMatchObject({ kind: 'refused', reason: expect.stringContaining('device clock far off') });
    const ahead = applyUpload(undefined, upload(), '2026-11-20T05:00:00Z');
    expect(ahead).toMatchObject({ kind: 'refused', reason: expect.stringContaining('service received') });
    expect(modelRules.closeAfterDays).toBe(2);
  });
});
