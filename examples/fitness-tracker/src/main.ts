// A short session of one user against the fitness service, printed step by step. Exits 0 when all went as said.
import { isLtyError } from '@listen-to-yourself/core';
import { randomUUID } from 'node:crypto';
import { type Profile, LogWorkout, SyncDevice } from './domain';
import { configFromEnv, startFitnessService } from './service';

const running = await startFitnessService(configFromEnv());
const { service } = running;
const user = `runner-${randomUUID().slice(0, 6)}`;
const day = new Date().toISOString().slice(0, 10);
let problems = 0;
const check = (ok: boolean, text: string) => {
  if (!ok) problems++;
  console.log(`${ok ? '  ok  ' : '  FAIL'} ${text}`);
};

try {
  console.log(`Fitness tracker: user ${user}, day ${day}`);
  const t0 = performance.now();
  const first = await service.send(
    SyncDevice,
    { userId: user, deviceId: 'watch-1', steps: 4200, day },
    { idempotencyKey: `${user}-sync-1` },
  );
  check(true, `watch synced 4200 steps (acked in ${(performance.now() - t0).toFixed(1)} ms)`);
  // The watch lost the answer and uploads the same batch again: same idempotency key, no double count.
  await service.send(
    SyncDevice,
    { userId: user, deviceId: 'watch-1', steps: 4200, day },
    { idempotencyKey: `${user}-sync-1` },
  );
  await service.send(
    SyncDevice,
    { userId: user, deviceId: 'phone', steps: 1300, day },
    { idempotencyKey: `${user}-sync-2` },
  );
  const run = await service.send(LogWorkout, { userId: user, kind: 'run', distanceM: 5000, durationS: 1620 });
  try {
    await service.send(SyncDevice, { userId: user, deviceId: 'watch-1', steps: 250_000, day: 'yesterday' });
    check(false, 'an implausible sync was accepted');
  } catch (err) {
    check(
      isLtyError(err, 'LTY_COMMAND_VALIDATION'),
      `implausible sync refused, nothing produced: ${(err as Error).message}`,
    );
  }
  await service.waitForApplied(first.token, { timeoutMs: 10_000 });
  await service.waitForApplied(run.token, { timeoutMs: 10_000 });
  const profile = await service.read<Profile>({ type: 'profile', id: user });
  check(
    profile?.state.stepsByDay[day] === 5500,
    `steps today: ${profile?.state.stepsByDay[day]} (4200 + 1300, the repeated upload counted once)`,
  );
  check(
    profile?.state.workouts === 1 && profile.state.distanceByKind.run === 5000,
    `workouts: ${profile?.state.workouts}, run distance ${profile?.state.distanceByKind.run} m`,
  );
  check(
    profile?.state.devices.join(',') === 'watch-1,phone',
    `devices: ${profile?.state.devices.join(', ')}`,
  );
  console.log(
    `profile version ${profile?.version}; ${service.stats().applied} applied, ${service.stats().duplicates} duplicate skipped`,
  );
} finally {
  await running.close();
}
console.log(
  problems === 0
    ? 'Fitness tracker: every step behaved as described.'
    : `Fitness tracker: ${problems} problem(s).`,
);
process.exit(problems === 0 ? 0 : 1);
