import type { Service } from '@listen-to-yourself/core';
import { failure, healthRoutes, readYourWrite } from 'example-support';
import Fastify, { type FastifyInstance } from 'fastify';
import { trendOf, viewOf, type HealthModel } from './health-model';
import { HealthEntity } from './handlers';
import { SyncDevice, uploadKey } from './sync-command';

/** The HTTP face of the fitness service: devices upload, apps read the model. */
export function buildApp(service: Service, options: { readWaitMs: number }): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

  // #region sync
  app.post<{ Params: { deviceId: string } }>('/devices/:deviceId/sync', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const input = { ...body, deviceId: req.params.deviceId };
    // A device that lost the answer sends the same upload again: the key names the upload, so the retry is
    // the same command with the same event ids, and the model changes once.
    const uploadId = typeof body.uploadId === 'string' ? body.uploadId : undefined;
    try {
      const receipt = await service.send(SyncDevice, input as never, {
        idempotencyKey: uploadId ? uploadKey(req.params.deviceId, uploadId) : undefined,
      });
      return reply
        .code(202)
        .header('consistency-token', receipt.token)
        .send({ uploadId, eventIds: receipt.eventIds, token: receipt.token });
    } catch (err) {
      return failure(reply, err);
    }
  });
  // #endregion sync

  // #region read-health
  app.get<{ Params: { id: string } }>('/users/:id/health', async (req, reply) => {
    // Read your own sync: wait (bounded) until the upload is applied; a refused or failed one is an error.
    if (!(await readYourWrite(service, req, reply, options.readWaitMs))) return reply;
    try {
      const found = await service.read(HealthEntity, req.params.id);
      if (!found || found.state.uploads === 0) return reply.code(404).send({ error: 'not-found' });
      return reply.send(present(found.state, found.version));
    } catch (err) {
      return failure(reply, err);
    }
  });
  // #endregion read-health

  app.get('/health', async () => ({ status: 'ok', ...service.stats() }));
  healthRoutes(app, service);
  return app;
}

/** The model as an app shows it: days newest first with their scores, and the resting-rate trend. */
function present(model: HealthModel, version: number) {
  const trend = trendOf(model);
  return {
    userId: model.userId,
    version,
    uploads: model.uploads,
    latestDay: model.latestDay,
    restingTrendBpmPerDay: trend.bpmPerDay ?? null,
    trendNights: trend.nights,
    days: Object.keys(model.days)
      .sort()
      .reverse()
      .map((d) => viewOf(d, model.days[d]!)),
  };
}
