import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { dropNamespace } from 'example-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app';
import { buildCoachApp } from './coach/app';
import { coachConfigFromEnv } from './coach/config';
import { startCoachService, type RunningCoach } from './coach/service';
import { configFromEnv } from './config';
import { daysAgo, uploadOf } from './sample-uploads';
import { startFitnessService, type RunningFitness } from './service';

// Fresh topics, groups and namespaces per run. Two services, as in production: the fitness service and the coach,
// each with its own topic and store namespace, on the store STORE names.
const id = randomUUID().slice(0, 8);
const config = {
  ...configFromEnv(),
  serviceName: `fitness-e2e-${id}`,
  namespace: `fitness_e2e_${id}`,
  readWaitMs: 15_000,
};
const coachConfig = {
  ...coachConfigFromEnv(),
  serviceName: `coach-e2e-${id}`,
  namespace: `coach_e2e_${id}`,
  fitnessTopic: `${config.serviceName}.events`,
};
let fitness: RunningFitness;
let coach: RunningCoach;
const apps: FastifyInstance[] = [];
let base = '';
let coachBase = '';

async function listen(app: FastifyInstance): Promise<string> {
  apps.push(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

async function http(url: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

const notificationsOf = async (user: string) =>
  ((await http(`${coachBase}/users/${user}/notifications`)).json.notifications as { id: string }[]).map(
    (n) => n.id,
  );
const sync = (device: string, body: unknown) => http(`${base}/devices/${device}/sync`, 'POST', body);
const healthOf = (user: string, token?: string) =>
  http(`${base}/users/${user}/health`, 'GET', undefined, token ? { 'consistency-token': token } : {});

beforeAll(async () => {
  fitness = await startFitnessService(config);
  coach = await startCoachService(coachConfig);
  base = await listen(buildApp(fitness.service, { readWaitMs: config.readWaitMs }));
  coachBase = await listen(buildCoachApp(coach.service));
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await coach?.close();
  await fitness?.close();
  await dropNamespace(config.store, config.namespace).catch(() => undefined);
  await dropNamespace(coachConfig.store, coachConfig.namespace).catch(() => undefined);
});

describe(`fitness tracker and coach over HTTP on the real stack (${config.store.kind})`, () => {
  it('answers an upload at once, reads its own sync, and absorbs a device retry', async () => {
    const user = `u-${randomUUID().slice(0, 8)}`;
    const body = uploadOf(user, 'up-1', new Date().toISOString(), [
      { day: daysAgo(1), steps: 8000, nightBpm: [58, 55, 54, 56], sleepMinutes: 420 },
    ]);
    const first = await sync('watch-1', body);
    expect(first.status).toBe(202);
    expect(first.headers.get('consistency-token')).toBe(first.json.token);
    const read = await healthOf(user, first.json.token as string);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ version: 1, uploads: 1 });
    expect((read.json.days as unknown[])[0]).toEqual({
      day: daysAgo(1),
      steps: 8000,
      sleepMinutes: 420,
      restingBpm: 55,
      activityScore: 82,
    });

    // The watch lost the answer and sends the same upload: the same events, the model changes once.
    const again = await sync('watch-1', body);
    expect(again.status).toBe(202);
    expect(again.json.eventIds).toEqual(first.json.eventIds);
    const reread = await healthOf(user, again.json.token as string);
    expect(reread.json).toMatchObject({ version: 1, uploads: 1 });
  });

  it('refuses implausible uploads with every problem listed and produces nothing', async () => {
    const before = fitness.service.stats().applied;
    const res = await sync('watch-1', {
      userId: 'u-x',
      uploadId: 'bad',
      sentAt: new Date().toISOString(),
      steps: [{ at: new Date(Date.now() + 86_400_000).toISOString(), count: 50_000 }],
      heartRate: [{ at: new Date().toISOString(), bpm: 400 }],
    });
    expect(res.status).toBe(400);
    const paths = (res.json.issues as { path: string[] }[]).map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['heartRate.0.bpm', 'steps.0.at', 'steps.0.count']);
    const empty = await sync('watch-1', { userId: 'u-x', uploadId: 'e', sentAt: new Date().toISOString() });
    expect(empty.status).toBe(400);
    expect((await healthOf('u-x')).status).toBe(404);
    expect(fitness.service.stats().applied).toBe(before);
  });

  it('refuses at apply time what only history can judge, keeps the model, and answers the reader 409', async () => {
    const user = `u-${randomUUID().slice(0, 8)}`;
    const now = new Date().toISOString();
    const first = await sync(`w-${user}`, uploadOf(user, 'a', now, [{ day: daysAgo(1), steps: 500 }]));
    expect((await healthOf(user, first.json.token as string)).json).toMatchObject({ version: 1 });

    const closed = await sync(`p-${user}`, uploadOf(user, 'b', now, [{ day: daysAgo(5), steps: 500 }]));
    expect(closed.status).toBe(202);
    const refused = await healthOf(user, closed.json.token as string);
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({
      error: 'refused',
      reason: `day ${daysAgo(5)} is closed (the model is at ${daysAgo(1)})`,
    });

    const ahead = new Date(Date.now() + 3 * 3_600_000).toISOString();
    const skewed = await sync(`p-${user}`, uploadOf(user, 'c', ahead, [{ day: daysAgo(1), steps: 500 }]));
    const skewedRead = await healthOf(user, skewed.json.token as string);
    expect(skewedRead.status).toBe(409);
    expect(String(skewedRead.json.reason)).toContain('device clock far off');

    // Each refusal is announced (SyncRefused); the coach reads it and tells the user.
    await expect
      .poll(() => notificationsOf(user), { timeout: 60_000, interval: 200 })
      .toEqual([`sync-refused:p-${user}:b`, `sync-refused:p-${user}:c`]);
    const outcome = await fitness.service.outcome(closed.json.token as string, { timeoutMs: 5000 });
    expect(outcome.events.map((e) => e.status)).toEqual(['rejected']);
    const model = await healthOf(user);
    expect(model.json).toMatchObject({ version: 1, uploads: 1 });
    expect((model.json.days as { steps: number }[]).map((d) => d.steps)).toEqual([500]);
  });

  it('announces each model update, which the coach reads in its own group and turns into notifications', async () => {
    const user = `u-${randomUUID().slice(0, 8)}`;
    const now = new Date().toISOString();
    const nights = [4, 3, 2].map((ago, i) => ({
      day: daysAgo(ago),
      steps: 4000,
      nightBpm: [50, 51, 52].map((b) => b + 2 * i),
    }));
    const week = await sync(`w-${user}`, uploadOf(user, 'a', now, nights));
    expect(week.status).toBe(202);
    const goal = await sync(`w-${user}`, uploadOf(user, 'b', now, [{ day: daysAgo(1), steps: 11_000 }]));
    expect(goal.status).toBe(202);
    await expect
      .poll(() => notificationsOf(user), { timeout: 60_000, interval: 200 })
      .toEqual(['resting-rate-rising:1', `goal-reached:${daysAgo(1)}`]);
    // A device retry changes nothing, so the coach hears nothing new.
    await sync(`w-${user}`, uploadOf(user, 'b', now, [{ day: daysAgo(1), steps: 11_000 }]));
    const more = await sync(`w-${user}`, uploadOf(user, 'c', now, [{ day: daysAgo(1), steps: 100 }]));
    await healthOf(user, more.json.token as string);
    // Observed a, b, c and nothing else: the retry made no second announcement.
    await expect
      .poll(async () => (await http(`${coachBase}/users/${user}/notifications`)).json.lastUploadId, {
        timeout: 60_000,
        interval: 200,
      })
      .toBe('c');
    expect((await http(`${coachBase}/users/${user}/notifications`)).json.version).toBe(3);
    expect(await notificationsOf(user)).toEqual(['resting-rate-rising:1', `goal-reached:${daysAgo(1)}`]);
  });
});
