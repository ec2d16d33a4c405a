import { uuidV5, type Service } from '@listen-to-yourself/core';
import { failure, firstHeader as header, healthRoutes, readYourWrite } from 'example-support';
import Fastify, { type FastifyInstance } from 'fastify';
import { CancelOrder, CreateOrder } from './domain';
import { OrderEntity } from './handlers';

const ORDER_ID_NAMESPACE = '0b8f3a6e-3c2d-4f0a-9a51-6c7e2d1f4b90';

/** The HTTP face of the order service. */
export function buildApp(service: Service, options: { readWaitMs: number }): FastifyInstance {
  const app = Fastify({ logger: false });

  // #region post-orders
  app.post('/orders', async (req, reply) => {
    const key = header(req.headers['idempotency-key']);
    // The same Idempotency-Key always names the same order, so a repeated request is the same command.
    const orderId = key ? uuidV5(`order\u0000${key}`, ORDER_ID_NAMESPACE) : crypto.randomUUID();
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      // The body is untrusted: the command's schema is the guard (a bad body is a CommandValidationError, 400).
      const receipt = await service.sendUntrusted(CreateOrder, { ...body, orderId }, { idempotencyKey: key });
      return reply
        .code(202)
        .header('consistency-token', receipt.token)
        .send({ orderId, status: 'PENDING', eventIds: receipt.eventIds, token: receipt.token });
    } catch (err) {
      return failure(reply, err);
    }
  });
  // #endregion post-orders

  app.post<{ Params: { id: string } }>('/orders/:id/cancel', async (req, reply) => {
    const key = header(req.headers['idempotency-key']);
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      const receipt = await service.send(
        CancelOrder,
        { ...body, orderId: req.params.id },
        {
          idempotencyKey: key ? `cancel:${key}` : undefined,
        },
      );
      return reply
        .code(202)
        .header('consistency-token', receipt.token)
        .send({ orderId: req.params.id, token: receipt.token });
    } catch (err) {
      return failure(reply, err);
    }
  });

  // #region get-order
  app.get<{ Params: { id: string } }>('/orders/:id', async (req, reply) => {
    // Never stale data presented as fresh: a write not applied (yet, or ever) is an error, not a read.
    if (!(await readYourWrite(service, req, reply, options.readWaitMs))) return reply;
    try {
      // Typed by the entity: `found.state` is an Order.
      const found = await service.read(OrderEntity, req.params.id);
      if (!found) return reply.code(404).send({ error: 'not-found' });
      return reply.send({ ...found.state, version: found.version });
    } catch (err) {
      // An id no store can hold (U+0000, a lone surrogate) names no order: 404 by the table.
      return failure(reply, err);
    }
  });
  // #endregion get-order

  app.get('/health', async () => ({ status: 'ok', ...service.stats() }));
  healthRoutes(app, service);
  return app;
}
