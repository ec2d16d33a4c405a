import type { Service } from '@listen-to-yourself/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { failure } from './http-errors';

/**
 * Waits, bounded, until the write named by the request's `consistency-token` header is applied. Returns true to
 * go on and read; false when it answered the request itself (by the status table: the write was refused, failed,
 * is not applied yet, or the token is bad). Never stale data presented as fresh.
 */
export async function readYourWrite(
  service: Service,
  req: FastifyRequest,
  reply: FastifyReply,
  timeoutMs: number,
): Promise<boolean> {
  const token = firstHeader(req.headers['consistency-token']);
  if (!token) return true;
  try {
    await service.waitForApplied(token, { timeoutMs });
    return true;
  } catch (err) {
    await failure(reply, err);
    return false;
  }
}

/** A header's first value. */
export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
