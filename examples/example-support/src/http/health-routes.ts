import type { Service } from '@listen-to-yourself/core';
import type { FastifyInstance } from 'fastify';

// #region health-routes
/**
 * Kubernetes-style probes from `service.health()`. Ready (route traffic here): the service takes commands,
 * whether or not every consumer group has joined yet (`ready` or `degraded`). Live (keep the process): anything
 * but `failed`, which only a restart or an operator mends. Both answer the whole report as their body.
 */
export function healthRoutes(app: FastifyInstance, service: Service): void {
  app.get('/health/ready', async (_req, reply) => {
    const health = await service.health();
    const ready = health.status === 'ready' || health.status === 'degraded';
    return reply.code(ready ? 200 : 503).send(health);
  });
  app.get('/health/live', async (_req, reply) => {
    const health = await service.health();
    return reply.code(health.status === 'failed' ? 503 : 200).send(health);
  });
}
// #endregion health-routes
