import type { Service } from '@listen-to-yourself/core';
import { failure, healthRoutes } from 'example-support';
import Fastify, { type FastifyInstance } from 'fastify';
import { CoachingEntity } from './handlers';

/** The coach's HTTP face: a user's notifications, oldest first. */
export function buildCoachApp(service: Service): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get<{ Params: { id: string } }>('/users/:id/notifications', async (req, reply) => {
    try {
      const found = await service.read(CoachingEntity, req.params.id);
      return reply.send({
        userId: req.params.id,
        notifications: found?.state.notifications ?? [],
        lastUploadId: found?.state.lastUploadId ?? null,
        version: found?.version ?? 0,
      });
    } catch (err) {
      return failure(reply, err);
    }
  });
  app.get('/health', async () => ({ status: 'ok', ...service.stats() }));
  healthRoutes(app, service);
  return app;
}
