import { isLtyError, type LtyErrorCode } from '@listen-to-yourself/core';
import type { FastifyReply } from 'fastify';

// #region http-status
/**
 * The HTTP status for each error code this service answers with; docs/outcomes.md holds the same table, and a
 * test keeps the two equal. Codes not listed: 503 when the error is retriable, else the error is a fault (500).
 */
export const HTTP_STATUS: Readonly<Partial<Record<LtyErrorCode, number>>> = Object.freeze({
  LTY_COMMAND_VALIDATION: 400,
  LTY_INVALID_TOKEN: 400,
  // An id holding U+0000 or a lone surrogate: no entity can have it.
  LTY_INVALID_ENTITY_REF: 404,
  LTY_COMMAND_REJECTED: 422,
  // A reducer refused the event at apply time: the request conflicts with the entity's state now (409 Conflict);
  // the same command may succeed once the state changes, unlike a 422, whose content is unprocessable as sent.
  LTY_REJECTED: 409,
  // A key reused with other input, as the IETF Idempotency-Key draft and Stripe answer it.
  LTY_IDEMPOTENCY_CONFLICT: 422,
  // The read depended on a write that failed: 424 Failed Dependency. Retrying does not help until it is redriven.
  LTY_DEAD_LETTERED: 424,
  // The write is not applied yet: say so instead of serving stale data as fresh.
  LTY_TIMEOUT: 504,
  LTY_NOT_STARTED: 503,
  LTY_STOPPED: 503,
  LTY_TRANSPORT: 503,
  LTY_TRANSIENT: 503,
});
// #endregion http-status

/** Answers a failed request by the table above; rethrows what it does not know (Fastify answers 500). */
export function failure(reply: FastifyReply, err: unknown) {
  if (!isLtyError(err)) throw err;
  const status = HTTP_STATUS[err.code] ?? (err.retriable ? 503 : undefined);
  if (status === undefined) throw err;
  if (status === 503) reply.header('retry-after', '1');
  return reply.code(status).send(body(err));
}

function body(err: unknown): Record<string, unknown> {
  if (isLtyError(err, 'LTY_COMMAND_VALIDATION')) {
    return { error: 'validation', issues: err.issues };
  }
  if (isLtyError(err, 'LTY_COMMAND_REJECTED')) {
    return { error: 'rejected', reason: err.reason };
  }
  if (isLtyError(err, 'LTY_REJECTED')) return { error: 'refused', reason: err.reason, eventId: err.eventId };
  if (isLtyError(err, 'LTY_IDEMPOTENCY_CONFLICT')) {
    return { error: 'idempotency-key-reused', idempotencyKey: err.idempotencyKey, message: err.message };
  }
  if (isLtyError(err, 'LTY_DEAD_LETTERED')) {
    return { error: 'write-failed', eventId: err.eventId, reason: err.reason, parked: err.parked };
  }
  if (isLtyError(err, 'LTY_INVALID_TOKEN')) return { error: 'bad-token', message: err.message };
  if (isLtyError(err, 'LTY_INVALID_ENTITY_REF')) return { error: 'not-found', message: err.message };
  if (isLtyError(err, 'LTY_TIMEOUT')) {
    return { error: 'not-yet-applied', message: `${err.message}; retry` };
  }
  return { error: 'unavailable', message: err instanceof Error ? err.message : String(err) };
}
