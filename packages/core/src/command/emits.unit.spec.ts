import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isLtyError } from '../errors/lty-error';
import { defineEvent } from '../event/define-event';
import { createService } from '../service/create-service';
import type { Service } from '../service/service-types';
import { inMemoryTransport } from '../transport/in-memory-transport';
import { defineCommand } from './define-command';

const shape = z.object({ id: z.string().min(1) });
const Placed = defineEvent({ type: 'shop.Placed', schema: shape, key: (e) => e.id });
const Cancelled = defineEvent({ type: 'shop.Cancelled', schema: shape, key: (e) => e.id });

const services: Service[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

async function started(...commands: Parameters<typeof createService>[0]['commands'] & object) {
  const service = createService({ name: 'shop', transport: inMemoryTransport(), commands });
  services.push(service);
  await service.start();
  return service;
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (err: unknown) => err,
  );

describe('defineCommand emits', () => {
  it('takes the list of event definitions, and refuses anything else', () => {
    const Place = defineCommand({
      name: 'Place',
      input: shape,
      emits: [Placed],
      toEvents: (c) => Placed.of(c),
    });
    expect(Place.emits).toEqual([Placed]);
    let error: unknown;
    try {
      defineCommand({
        name: 'Bad',
        input: shape,
        emits: ['shop.Placed' as never],
        toEvents: (c) => Placed.of(c),
      });
    } catch (err) {
      error = err;
    }
    expect(isLtyError(error, 'LTY_CONFIG'), String(error)).toBe(true);
  });

  it('refuses at send, producing nothing, a draft of an event the command does not list', async () => {
    const Sneaky = defineCommand({
      name: 'Sneaky',
      input: shape,
      emits: [Placed],
      toEvents: (c) => Cancelled.of(c),
    });
    const service = await started(Sneaky);
    const error = await failure(service.send(Sneaky, { id: 'o-1' }));
    expect(isLtyError(error, 'LTY_CONFIG'), String(error)).toBe(true);
    expect(String(error)).toContain('shop.Cancelled');
  });
});

describe('sendUntrusted', () => {
  const Place = defineCommand({
    name: 'Place',
    input: shape,
    emits: [Placed],
    toEvents: (c) => Placed.of(c),
  });

  it('takes unknown input, with the command schema as the guard', async () => {
    const service = await started(Place);
    const body: unknown = JSON.parse('{"id":"o-1"}');
    const receipt = await service.sendUntrusted(Place, body);
    expect(receipt.eventIds).toHaveLength(1);
    const error = await failure(service.sendUntrusted(Place, JSON.parse('{"id":42}')));
    expect(isLtyError(error, 'LTY_COMMAND_VALIDATION'), String(error)).toBe(true);
    // @ts-expect-error send() wants the command's input type, not unknown
    await failure(service.send(Place, body));
  });
});
