import { createServer, type Server } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { privateKafka } from './private-kafka';
import { refuseTakenPorts, takenPorts } from './taken-ports';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function hold(port = 0): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

it('sees a port that a process listens on as taken, and a closed one as free', async () => {
  const held = await hold();
  const free = await hold();
  await new Promise((r) => servers.pop()!.close(r));
  expect(takenPorts([held, free])).toEqual([held]);
  expect(() => refuseTakenPorts('check', [free])).not.toThrow();
  expect(() => refuseTakenPorts('check', [free, held])).toThrow(`port(s) ${held} already taken`);
});

it('a private broker refuses to start on a port another process holds, instead of testing against it', async () => {
  const held = await hold();
  const broker = privateKafka(held);
  const began = Date.now();
  expect(() => broker.up()).toThrow(`private kafka on ${held}: port(s) ${held} already taken`);
  // Refused before anything was started: no JVM start-up (seconds) was waited for.
  expect(Date.now() - began).toBeLessThan(2000);
});
