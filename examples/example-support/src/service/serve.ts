import type { FastifyInstance } from 'fastify';
import type { RunningService } from './start-on-store';

/**
 * Serves `app` on 127.0.0.1:`port` and prints `banner`. On SIGTERM or SIGINT: stops taking requests, then drains
 * the service (in-flight sends finish, applies commit, clients disconnect) and exits 0. The drain is bounded by
 * the service's own `stopTimeoutMs` (20 s by default), within a platform's usual 30 s grace period.
 */
export async function serveUntilSignal(
  app: FastifyInstance,
  running: RunningService,
  port: number,
  banner: string,
  /** Runs after the service stopped, before the exit (flushing telemetry, say). */
  afterStop?: () => Promise<void>,
): Promise<void> {
  await app.listen({ host: '127.0.0.1', port });
  console.log(banner);
  const stop = async () => {
    await app.close();
    await running.close();
    await afterStop?.();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
