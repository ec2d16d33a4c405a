import { describe, expect, it } from 'vitest';
import { SyncDevice } from './sync-command';

const parse = (input: unknown) => SyncDevice.input.safeParse(input);

describe('SyncDevice refuses implausible uploads before anything is produced', () => {
  it('accepts a plausible upload', () => {
    const ok = parse({
      userId: 'u1',
      deviceId: 'watch',
      uploadId: 'a',
      sentAt: '2026-11-20T09:00:00Z',
      steps: [{ at: '2026-11-20T08:00:00Z', count: 900 }],
    });
    expect(ok.success).toBe(true);
  });

  it('lists every problem', () => {
    const bad = parse({
      userId: '',
      deviceId: 'watch',
      uploadId: 'a',
      sentAt: '2026-11-20T09:00:00Z',
      steps: [{ at: '2026-11-21T08:00:00Z', count: 25_000 }],
      heartRate: [{ at: '2026-11-20T08:00:00Z', bpm: 400 }],
      sleep: [{ from: '2026-11-20T08:00:00Z', to: '2026-11-20T07:00:00Z' }],
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['heartRate.0.bpm', 'sleep.0', 'steps.0.at', 'steps.0.count', 'userId']);
    expect(parse({ userId: 'u', deviceId: 'd', uploadId: 'a', sentAt: '2026-11-20T09:00:00Z' }).success).toBe(
      false,
    );
  });
});
