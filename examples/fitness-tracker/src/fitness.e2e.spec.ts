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

const sync = (device: string, body: unknown) => http(`${base}/devices/${device}/sync`, 'POST', body);
const healthOf = (user: string, token?: string) =>
  http(`${base}/users/${user}/health`, 'GET', undefined, token ? { 'consistency-token': token } : {});

beforeAll(async () => {
  fitness = await startFitnessService(config);
  coach = await startCoachService(coachConfig);
  base = await listen(buildApp(fitness.service, { readWaitMs: config.readWaitMs }));
  await listen(buildCoachApp(coach.service));
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
});
