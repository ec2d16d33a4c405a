// Runs the fitness service and the coach as two processes on the store STORE names and plays a week of a runner's
// uploads over HTTP, printing what happens. Exits 0 only when every step behaved as described.
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoKit } from 'example-support';
import { daysAgo, uploadOf, type DayPlan } from '../src/sample-uploads';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const port = Number(process.env.PORT ?? 3310);
const coachPort = Number(process.env.COACH_PORT ?? port + 1);
const base = `http://127.0.0.1:${port}`;
const coachBase = `http://127.0.0.1:${coachPort}`;
const runId = randomUUID().slice(0, 6);
const user = `runner-${runId}`;
// Device ids are unique (upload ids only per device): the idempotency key of an upload is device + upload id.
const watch = `watch-${runId}`;
const phone = `phone-${runId}`;
const { start, http, check, until, ready, run } = demoKit({
  env: { PORT: String(port), COACH_PORT: String(coachPort) },
});

const sync = (device: string, body: unknown) => http(`${base}/devices/${device}/sync`, 'POST', body);
const health = (token?: string) =>
  http(`${base}/users/${user}/health`, 'GET', undefined, token ? { 'consistency-token': token } : {});
const notifications = async () =>
  ((await http(`${coachBase}/users/${user}/notifications`)).json.notifications ?? []) as {
    id: string;
    message: string;
  }[];

/** Waits for the coach's notification `id` and prints how long after `since` it appeared. */
async function coachSays(id: string, since: number) {
  const n = await until(async () => (await notifications()).find((x) => x.id === id), 30_000);
  check(
    n !== undefined,
    n
      ? `coach: "${n.message}" (${(performance.now() - since).toFixed(0)} ms after the upload was sent)`
      : `coach said nothing about ${id} within 30 s`,
  );
}

async function main() {
  console.log(`Starting the fitness service and the coach (store: ${process.env.STORE ?? 'postgres'})...`);
  start(join(src, 'main.ts'), 'fitness');
  start(join(src, 'coach', 'main.ts'), 'coach');
  await ready([`${base}/health/ready`, `${coachBase}/health/ready`]);

  console.log(`\n1. ${user}'s new watch syncs its first five nights and days (resting rate creeping up)`);
  const week: DayPlan[] = [6, 5, 4, 3, 2].map((ago, i) => ({
    day: daysAgo(ago),
    steps: 6000 + 500 * i,
    nightBpm: [52 + 1.5 * i, 50 + 1.5 * i, 51 + 1.5 * i, 53 + 1.5 * i].map(Math.round),
    sleepMinutes: 450 - 10 * i,
  }));
  const t1 = performance.now();
  const first = await sync(watch, uploadOf(user, 'w1-001', new Date().toISOString(), week));
  check(
    first.status === 202,
    `202 once Kafka acked DeviceSynced (${first.ms.toFixed(1)} ms), nothing waited for the model`,
  );

  console.log('\n2. The app reads the model with the consistency token (read your own sync)');
  const model = await health(first.json.token as string);
  const days = (model.json.days ?? []) as {
    day: string;
    steps: number;
    restingBpm?: number;
    activityScore: number;
  }[];
  check(
    model.status === 200 && days.length === 5,
    `model v${String(model.json.version)} (read waited ${model.ms.toFixed(1)} ms): ${days
      .map(
        (d) =>
          `${d.day.slice(5)} ${d.steps} steps, rest ${d.restingBpm ?? '-'} bpm, score ${d.activityScore}`,
      )
      .join('; ')}`,
  );
  check(
    typeof model.json.restingTrendBpmPerDay === 'number' && model.json.restingTrendBpmPerDay >= 1,
    `resting rate trend ${String(model.json.restingTrendBpmPerDay)} bpm/day over ${String(model.json.trendNights)} nights`,
  );
  console.log(
    '\n3. The model is announced (HealthModelUpdated) and the coach, in its own group and store, reacts',
  );
  await coachSays('resting-rate-rising:1', t1);

  console.log("\n4. This morning's sync: yesterday's long run reaches the goal");
  const morning = uploadOf(user, 'w1-002', new Date().toISOString(), [
    { day: daysAgo(1), steps: 14_500, nightBpm: [60, 61, 62], sleepMinutes: 400 },
  ]);
  const t2 = performance.now();
  const second = await sync(watch, morning);
  check(second.status === 202, `202 (${second.ms.toFixed(1)} ms)`);
  await coachSays(`goal-reached:${daysAgo(1)}`, t2);

  console.log('\n5. The watch lost the answer and sends the same upload again');
  const retry = await sync(watch, morning);
  const after = await health(retry.json.token as string);
  check(
    retry.status === 202 &&
      JSON.stringify(retry.json.eventIds) === JSON.stringify(second.json.eventIds) &&
      after.json.version === 2 &&
      after.json.uploads === 2,
    `same event ids (idempotency key from device + upload id); model still v${String(after.json.version)}, ${String(after.json.uploads)} uploads`,
  );

  console.log('\n6. Implausible input is refused before anything is produced');
  const bad = await sync(watch, {
    userId: user,
    uploadId: 'w1-bad',
    sentAt: new Date().toISOString(),
    steps: [{ at: new Date(Date.now() - 3_600_000).toISOString(), count: 90_000 }],
    heartRate: [{ at: new Date().toISOString(), bpm: 999 }],
  });
  const issues = (bad.json.issues as { path: string[]; message: string }[] | undefined) ?? [];
  check(
    bad.status === 400 && issues.length === 2,
    `400: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
  );

  console.log('\n7. What only the stored history can judge is refused at apply time, and announced');
  const late = await sync(
    phone,
    uploadOf(user, 'p-001', new Date().toISOString(), [{ day: daysAgo(5), steps: 3000 }]),
  );
  const lateRead = await health(late.json.token as string);
  check(
    late.status === 202 && lateRead.status === 409,
    `an upload for a closed day: 202, then refused by the model: ${String(lateRead.json.reason)}`,
  );
  const tSkewed = performance.now();
  const skewed = await sync(
    phone,
    uploadOf(user, 'p-002', new Date(Date.now() + 3 * 3_600_000).toISOString(), [
      { day: daysAgo(1), steps: 100 },
    ]),
  );
  const skewedRead = await health(skewed.json.token as string);
  check(
    skewed.status === 202 && skewedRead.status === 409,
    `a phone whose clock is 3 h ahead: refused: ${String(skewedRead.json.reason)}`,
  );
  await coachSays(`sync-refused:${phone}:p-002`, tSkewed);
  const unchanged = await health();
  check(unchanged.json.version === 2, `the model is as it was: v${String(unchanged.json.version)}`);

  const stats = await http(`${base}/health`);
  const coachStats = await http(`${coachBase}/health`);
  console.log(
    `\nFitness self-consumer: ${String(stats.json.applied)} applied, ${String(stats.json.duplicates)} duplicates skipped, ${String(stats.json.deadLettered)} dead-lettered. Coach: ${String(coachStats.json.applied)} applied, ${String(coachStats.json.emitted)} follow-ups produced.`,
  );
  console.log(`Notifications of ${user}: ${(await notifications()).map((n) => n.id).join(', ')}`);
}

await run('Fitness demo', main);
