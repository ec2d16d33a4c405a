import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../command/define-command';
import { TransportError } from '../errors/errors';
import { defineEvent } from '../event/define-event';
import { inMemoryStateStore } from '../store/in-memory-state-store';
import { onOwnEvent } from '../subscriber/handlers';
import { inMemoryTransport, type InMemoryTransport } from '../transport/in-memory-transport';
import type { Transport } from '../transport/transport';
import { createService, type Service } from './create-service';
import { overallStatus } from './health';
import type { ServiceHealth } from './health-types';

const Noted = defineEvent({
  type: 'notes.Noted',
  schema: z.object({ id: z.string(), text: z.string() }),
  key: (e) => e.id,
});
const Note = defineCommand({ name: 'Note', input: Noted.schema, toEvents: (c) => Noted.of(c) });

const services: Service[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

function notes(transport: Transport, apply: () => Promise<void> = async () => undefined) {
  const service = createService({
    name: 'notes',
    transport,
    store: inMemoryStateStore(),
    commands: [Note],
    handlers: [
      onOwnEvent(Noted, async (_s: { text: string } | undefined, e) => {
        await apply();
        return { text: e.payload.text };
      }),
    ],
    topic: { partitions: 2 },
    transientMaxDelayMs: 50,
    stopTimeoutMs: 300,
  });
  services.push(service);
  return service;
}

async function until(service: Service, check: (h: ServiceHealth) => boolean): Promise<ServiceHealth> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const h = await service.health();
    if (check(h)) return h;
    if (Date.now() > deadline) throw new Error(`health never matched; last: ${JSON.stringify(h)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The in-memory transport, with joins held back until `release()`. */
function slowJoins(inner: InMemoryTransport) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const transport: Transport = {
    ...inner,
    consume: async (options) => {
      await gate;
      return inner.consume(options);
    },
  };
  return { transport, release };
}

describe('service.health()', () => {
  it('is starting before start(), then ready with every group running, its partitions and lag 0', async () => {
    const service = notes(inMemoryTransport());
    expect((await service.health()).status).toBe('starting');
    await service.start();
    const receipt = await service.send(Note, { id: 'n1', text: 'hello' });
    await service.waitForApplied(receipt.token);
    const h = await until(service, (x) => x.status === 'ready' && x.groups[0]?.lag === 0);
    expect(h.commandPath.state).toBe('ready');
    expect(h.groups).toEqual([
      {
        groupId: 'notes.self',
        topic: 'notes.events',
        state: 'running',
        partitions: [0, 1],
        lag: 0,
        restarts: 0,
      },
    ]);
  });

  it('start() resolves before the group joins: commands are taken at once, applies follow the join', async () => {
    const { transport, release } = slowJoins(inMemoryTransport());
    const service = notes(transport);
    await service.start();
    const receipt = await service.send(Note, { id: 'n1', text: 'before the join' });
    const h = await service.health();
    expect(h.status).toBe('degraded');
    expect(h.groups.map((g) => g.state)).toEqual(['joining']);
    expect(h.groups[0]!.lag).toBe(1);
    release();
    await service.waitForApplied(receipt.token, { timeoutMs: 5000 });
    await until(service, (x) => x.status === 'ready');
  });

  it('a crashed consumer is reported, rejoins after a backoff and applies what came meanwhile', async () => {
    const transport = inMemoryTransport();
    const service = notes(transport);
    await service.start();
    await until(service, (x) => x.status === 'ready');
    transport.faults.failConsumer('notes.self', new TransportError('lost the group (on purpose)'));
    const receipt = await service.send(Note, { id: 'n1', text: 'x' });
    const h = await until(service, (x) => x.groups[0]!.restarts === 1 && x.status === 'ready');
    expect(h.groups[0]!.lastError).toMatchObject({
      message: 'lost the group (on purpose)',
      code: 'LTY_TRANSPORT',
    });
    await service.waitForApplied(receipt.token, { timeoutMs: 5000 });
  });

  it('a crash that a restart cannot mend leaves the group crashed and the service failed', async () => {
    const transport = inMemoryTransport();
    const service = notes(transport);
    await service.start();
    await until(service, (x) => x.status === 'ready');
    const fenced = new TransportError('fenced by a newer member (on purpose)', { retriable: false });
    transport.faults.failConsumer('notes.self', fenced);
    await service.send(Note, { id: 'n1', text: 'x' });
    const h = await until(service, (x) => x.status === 'failed');
    expect(h.commandPath.state).toBe('ready');
    expect(h.groups[0]).toMatchObject({ state: 'crashed', restarts: 1, partitions: [] });
    expect(h.groups[0]!.lastError?.message).toBe('fenced by a newer member (on purpose)');
    await new Promise((r) => setTimeout(r, 200));
    expect((await service.health()).groups[0]!.state).toBe('crashed');
  });

  it('stop() disconnects within stopTimeoutMs when an apply hangs, and health says failed afterwards', async () => {
    let hang!: () => void;
    const hung = new Promise<void>((r) => (hang = r));
    const service = notes(inMemoryTransport(), () => hung);
    await service.start();
    await service.send(Note, { id: 'n1', text: 'x' });
    await new Promise((r) => setTimeout(r, 50));
    const began = Date.now();
    await service.stop();
    expect(Date.now() - began).toBeLessThan(3000);
    expect(Date.now() - began).toBeGreaterThanOrEqual(250);
    const h = await service.health();
    expect(h).toMatchObject({ status: 'failed', commandPath: { state: 'stopped' } });
    hang();
  });
});

describe('overallStatus', () => {
  it.each([
    ['starting', [], 'starting'],
    ['ready', [], 'ready'],
    ['ready', ['running', 'running'], 'ready'],
    ['ready', ['running', 'joining'], 'degraded'],
    ['ready', ['retrying'], 'degraded'],
    ['ready', ['running', 'crashed'], 'failed'],
    ['failed', ['running'], 'failed'],
    ['stopping', ['running'], 'failed'],
  ] as const)('command path %s, groups %j: %s', (path, groups, expected) => {
    expect(
      overallStatus(
        path,
        groups.map((state) => ({ state })),
      ),
    ).toBe(expected);
  });
});
