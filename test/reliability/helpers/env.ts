import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serviceConfig } from '../../../scripts/services/service-config.mjs';

/** The repository's root directory. */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** The shared servers (`pnpm services up`): only ever read and written, never stopped, by this suite. */
export const shared = serviceConfig();

/** `LTY_RELIABILITY_FULL=1` runs the full figures; the default sizes fit a CI budget on 2 cores. */
export const full = process.env.LTY_RELIABILITY_FULL === '1';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Names no other run uses: a service name (topic `<name>.events`, groups) and a Postgres schema. */
export function runNames(scenario: string): { serviceName: string; schema: string; id: string } {
  const id = randomUUID().replaceAll('-', '').slice(0, 8);
  return { id, serviceName: `rel-${scenario}-${id}`, schema: `rel_${scenario.replaceAll('-', '_')}_${id}` };
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A uniformly random integer in [min, max]. */
export function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

/** Two consecutive free ports (a broker and its controller), searched in 30000-39999. */
export async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = randomInt(30_000, 39_998);
    if ((await isFree(port)) && (await isFree(port + 1))) return port;
  }
  throw new Error('no two consecutive free ports found');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
