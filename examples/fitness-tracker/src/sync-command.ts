import { defineCommand } from '@listen-to-yourself/core';
import { z } from 'zod';
import { DeviceSynced } from './contracts';
import { dayOf } from './days';

/** What the edge refuses as implausible before anything is produced; the same for every user and history. */
export const plausible = Object.freeze({
  maxSamples: 2000,
  /** Steps in one sample (a device sums at most an hour into one). */
  maxStepsPerSample: 20_000,
  maxStepsPerDay: 100_000,
  minBpm: 25,
  maxBpm: 230,
  maxSleepMinutes: 16 * 60,
  /** How far back an upload may reach: a device keeps at most two weeks of samples. */
  maxAgeMs: 14 * 24 * 3_600_000,
  /** A sample taken after the upload was sent cannot be; a few minutes allow for clock drift within the device. */
  futureSlackMs: 5 * 60_000,
});

const id = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, '1 to 64 letters, digits or . _ : -');
const time = z.iso.datetime({ offset: true, message: 'an ISO 8601 time with offset' });

const input = z
  .object({
    userId: id,
    deviceId: id,
    uploadId: id,
    sentAt: time,
    steps: z
      .array(
        z.object({
          at: time,
          count: z
            .number()
            .int()
            .nonnegative()
            .max(plausible.maxStepsPerSample, 'too many steps in one sample'),
        }),
      )
      .default([]),
    heartRate: z
      .array(
        z.object({
          at: time,
          bpm: z
            .number()
            .int()
            .min(plausible.minBpm, 'heart rate below 25 bpm is not plausible')
            .max(plausible.maxBpm, 'heart rate above 230 bpm is not plausible'),
        }),
      )
      .default([]),
    sleep: z.array(z.object({ from: time, to: time })).default([]),
  })
  .superRefine((u, ctx) => {
    const total = u.steps.length + u.heartRate.length + u.sleep.length;
    if (total === 0) ctx.addIssue({ code: 'custom', path: [], message: 'an upload without samples' });
    if (total > plausible.maxSamples)
      ctx.addIssue({ code: 'custom', path: [], message: `more than ${plausible.maxSamples} samples` });
    const sent = Date.parse(u.sentAt);
    const check = (at: string, path: (string | number)[]) => {
      const t = Date.parse(at);
      if (t > sent + plausible.futureSlackMs)
        ctx.addIssue({ code: 'custom', path, message: 'taken after the upload was sent' });
      if (t < sent - plausible.maxAgeMs)
        ctx.addIssue({ code: 'custom', path, message: 'older than two weeks before the upload' });
    };
    u.steps.forEach((s, i) => check(s.at, ['steps', i, 'at']));
    u.heartRate.forEach((s, i) => check(s.at, ['heartRate', i, 'at']));
    u.sleep.forEach((s, i) => {
      check(s.to, ['sleep', i, 'to']);
      const minutes = (Date.parse(s.to) - Date.parse(s.from)) / 60_000;
      if (!(minutes > 0))
        ctx.addIssue({ code: 'custom', path: ['sleep', i], message: 'ends before it starts' });
      else if (minutes > plausible.maxSleepMinutes)
        ctx.addIssue({ code: 'custom', path: ['sleep', i], message: 'longer than 16 hours' });
    });
    const perDay = new Map<string, number>();
    for (const s of u.steps) perDay.set(dayOf(s.at), (perDay.get(dayOf(s.at)) ?? 0) + s.count);
    for (const [day, steps] of perDay)
      if (steps > plausible.maxStepsPerDay)
        ctx.addIssue({
          code: 'custom',
          path: ['steps'],
          message: `${steps} steps on ${day} is not plausible`,
        });
  });

export type SyncInput = z.input<typeof input>;

// #region sync-command
/**
 * A device uploads what it measured. zod refuses implausible input (every problem listed, nothing produced);
 * what only the stored history can judge (a closed day, a clock far off) is the health model's decision at apply.
 */
export const SyncDevice = defineCommand({
  name: 'SyncDevice',
  input,
  emits: [DeviceSynced],
  toEvents: (cmd) => DeviceSynced.of(cmd),
});
// #endregion sync-command

/** The idempotency key of an upload: a device that retries sends the same upload id. */
export function uploadKey(deviceId: string, uploadId: string): string {
  return `sync:${deviceId}:${uploadId}`;
}
