import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { isLtyError } from '../errors/lty-error';
import { defineEvent, type EventDefinition, type EventDraft } from '../event/define-event';
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
        emits: ['shop.Placed' as unknown as typeof Placed],
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
      // @ts-expect-error the runtime check stands behind the type: a cast must not get a stray event through
      toEvents: (c) => Cancelled.of(c),
    });
    const service = await started(Sneaky);
    const error = await failure(service.send(Sneaky, { id: 'o-1' }));
    expect(isLtyError(error, 'LTY_CONFIG'), String(error)).toBe(true);
    expect(String(error)).toContain('shop.Cancelled');
  });
});

describe('defineCommand emits, in types', () => {
  it('gives each event definition and its drafts the literal type name', () => {
    expectTypeOf(Placed).toEqualTypeOf<EventDefinition<{ id: string }, 'shop.Placed'>>();
    expectTypeOf(Placed.of({ id: 'o-1' })).toEqualTypeOf<EventDraft<{ id: string }, 'shop.Placed'>>();
    // Same payload shape, other name: not interchangeable.
    expectTypeOf(Cancelled).not.toEqualTypeOf<typeof Placed>();
    expectTypeOf(Cancelled.of({ id: 'o-1' })).not.toMatchTypeOf<EventDraft<{ id: string }, 'shop.Placed'>>();
    // An annotation without the name still takes any event of that payload.
    const anyOfShape: EventDefinition<{ id: string }> = Cancelled;
    expect(anyOfShape.type).toBe('shop.Cancelled');
  });

  it('compiles toEvents returning the listed events, one, several or a promise of them', () => {
    const Both = defineCommand({
      name: 'Both',
      input: shape,
      emits: [Placed, Cancelled],
      toEvents: async (c) => [Placed.of(c), Cancelled.of(c)],
    });
    const One = defineCommand({ name: 'One', input: shape, emits: [Placed], toEvents: (c) => Placed.of(c) });
    const Unlisted = defineCommand({ name: 'Any', input: shape, toEvents: (c) => [Cancelled.of(c)] });
    expect([Both, One, Unlisted].map((c) => c.emits?.length)).toEqual([2, 1, undefined]);
  });

  it('does not compile toEvents returning an event the command does not list', () => {
    const wrong = () => [
      defineCommand({
        name: 'One',
        input: shape,
        emits: [Placed],
        // @ts-expect-error Cancelled is not in emits, though its payload has the shape of Placed's
        toEvents: (c) => Cancelled.of(c),
      }),
      defineCommand({
        name: 'Some',
        input: shape,
        emits: [Placed],
        // @ts-expect-error one unlisted draft among listed ones
        toEvents: (c) => [Placed.of(c), Cancelled.of(c)],
      }),
      defineCommand({
        name: 'Later',
        input: shape,
        emits: [Cancelled],
        // @ts-expect-error a promise of an unlisted draft
        toEvents: async (c) => Placed.of(c),
      }),
    ];
    expect(typeof wrong).toBe('function');
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
