import { defineCommand, defineEvent, onOwnEvent } from '@listen-to-yourself/core';
import { z } from 'zod';

export const DeviceSynced = defineEvent({
  type: 'fitness.DeviceSynced',
  schema: z.object({
    userId: z.string(),
    deviceId: z.string(),
    steps: z.number().int().nonnegative(),
    day: z.string(),
  }),
  key: (e) => e.userId,
});

export const WorkoutLogged = defineEvent({
  type: 'fitness.WorkoutLogged',
  schema: z.object({
    userId: z.string(),
    kind: z.enum(['run', 'ride', 'swim']),
    distanceM: z.number().int().positive(),
    durationS: z.number().int().positive(),
  }),
  key: (e) => e.userId,
});

/** A device uploads the steps it counted since its last sync. */
export const SyncDevice = defineCommand({
  name: 'SyncDevice',
  input: z.object({
    userId: z.string().min(1),
    deviceId: z.string().min(1),
    steps: z
      .number()
      .int()
      .nonnegative()
      .max(100_000, 'more than 100,000 steps in one sync is not plausible'),
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'day must be YYYY-MM-DD'),
  }),
  toEvents: (cmd) => DeviceSynced.of(cmd),
});

export const LogWorkout = defineCommand({
  name: 'LogWorkout',
  input: WorkoutLogged.schema,
  toEvents: (cmd) => WorkoutLogged.of(cmd),
});

export interface Profile {
  stepsByDay: Record<string, number>;
  workouts: number;
  distanceByKind: Record<string, number>;
  devices: string[];
}

const empty = (): Profile => ({ stepsByDay: {}, workouts: 0, distanceByKind: {}, devices: [] });

/** One profile per user in Cassandra: each event lands on the user's own partition, in one conditional batch. */
export const fitnessHandlers = [
  onOwnEvent(
    DeviceSynced,
    (p: Profile | undefined, e): Profile => {
      const profile = p ?? empty();
      const { day, steps, deviceId } = e.payload;
      return {
        ...profile,
        stepsByDay: { ...profile.stepsByDay, [day]: (profile.stepsByDay[day] ?? 0) + steps },
        devices: profile.devices.includes(deviceId) ? profile.devices : [...profile.devices, deviceId],
      };
    },
    { entity: 'profile' },
  ),
  onOwnEvent(
    WorkoutLogged,
    (p: Profile | undefined, e): Profile => {
      const profile = p ?? empty();
      const { kind, distanceM } = e.payload;
      return {
        ...profile,
        workouts: profile.workouts + 1,
        distanceByKind: {
          ...profile.distanceByKind,
          [kind]: (profile.distanceByKind[kind] ?? 0) + distanceM,
        },
      };
    },
    { entity: 'profile' },
  ),
];
