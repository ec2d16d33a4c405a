import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CommandValidationError } from '../errors/errors';
import { isLtyError } from '../errors/lty-error';
import { defineEvent } from '../event/define-event';
import { createService, type Service } from '../service/create-service';
import { inMemoryStateStore } from '../store/in-memory-state-store';
import { onOwnEvent } from '../subscriber/handlers';
import { inMemoryTransport } from '../transport/in-memory-transport';
import { defineCommand } from './define-command';
import { assertStorableRef, surelyStorable, unstorableReason, unstorableStrings } from './storable-strings';

const NUL = 'a\u0000b';
const HIGH = 'lone\ud800';
const LOW = '\udc00x';

describe('unstorableReason', () => {
  it('names U+0000 and lone surrogates of either half, with their index', () => {
    expect(unstorableReason(NUL)).toMatch(/U\+0000 \(NUL\) at index 1/);
    expect(unstorableReason(HIGH)).toMatch(/lone surrogate U\+D800 at index 4/);
    expect(unstorableReason(LOW)).toMatch(/lone surrogate U\+DC00 at index 0/);
    expect(unstorableReason('\udbff\udbff\udfff')).toMatch(/U\+DBFF at index 0/);
  });

  it('passes what UTF-8 and every store keep: pairs, emoji, other controls, the empty string', () => {
    for (const ok of ['', 'plain', '🧨', '\ud83d\ude00', '\u0001\u202e\uffff', 'é\u00a0']) {
      expect(unstorableReason(ok)).toBeUndefined();
    }
  });
});

describe('unstorableStrings', () => {
  it('finds every bad string at every depth, with the path zod would give', () => {
    const input = {
      name: NUL,
      tags: ['ok', HIGH],
      nested: { deeper: [{ note: LOW }] },
      [`k${NUL}`]: 'value of a bad key',
      map: new Map<unknown, unknown>([
        ['fine', HIGH],
        [LOW, 1],
      ]),
      set: new Set(['x', NUL]),
      fine: { n: 1, when: new Date(0), bytes: Buffer.from([0]), nothing: null },
    };
    const issues = unstorableStrings(input);
    expect(issues.map((i) => [i.path, i.message.split(' ')[0], i.code])).toEqual([
      [['name'], 'string', 'unstorable_string'],
      [['tags', 1], 'string', 'unstorable_string'],
      [['nested', 'deeper', 0, 'note'], 'string', 'unstorable_string'],
      [[`k${NUL}`], 'key', 'unstorable_string'],
      [['map', 'fine'], 'string', 'unstorable_string'],
      [['map', LOW], 'key', 'unstorable_string'],
      [['set', 1], 'string', 'unstorable_string'],
    ]);
  });

  it('prefixes the given path, checks a bare string, and survives cycles', () => {
    expect(unstorableStrings(NUL, ['send()', 'idempotencyKey']).map((i) => i.path)).toEqual([
      ['send()', 'idempotencyKey'],
    ]);
    const cyclic: Record<string, unknown> = { s: HIGH };
    cyclic.self = cyclic;
    expect(unstorableStrings(cyclic).map((i) => i.path)).toEqual([['s']]);
    expect(unstorableStrings({ a: ['fine', { b: 'also fine' }] })).toEqual([]);
  });
});

describe('surelyStorable', () => {
  it('is sure of clean values, of any depth, with dates, bytes, numbers and nulls', () => {
    expect(surelyStorable('plain 🧨')).toBe(true);
    expect(
      surelyStorable({ a: [1, null, { b: 'ok', at: new Date(0), raw: Buffer.from([0]) }], c: undefined }),
    ).toBe(true);
  });

  it('is never sure where unstorableStrings finds something: values, keys, arrays, at depth', () => {
    const bad: unknown[] = [
      NUL,
      { a: HIGH },
      { [`k${NUL}`]: 1 },
      [1, ['x', LOW]],
      { deep: { deeper: { deepest: [{ s: NUL }] } } },
      new Map([['k', HIGH]]),
      new Set([LOW]),
    ];
    for (const value of bad) {
      expect(unstorableStrings(value)).not.toEqual([]);
      expect(surelyStorable(value)).toBe(false);
    }
  });

  it('gives up, unsure, on a cycle, a deep nest or a wide structure, where the full walk decides', () => {
    const cycle: Record<string, unknown> = { a: 'ok' };
    cycle.self = cycle;
    let deep: unknown = 'ok';
    for (let i = 0; i < 100; i++) deep = { next: deep };
    const shared = { s: 'ok' };
    const wide = Array.from({ length: 20_000 }, () => shared);
    for (const value of [cycle, deep, wide]) {
      expect(surelyStorable(value)).toBe(false);
      expect(unstorableStrings(value)).toEqual([]);
    }
  });
});

describe('assertStorableRef', () => {
  it('throws InvalidEntityRefError naming type and id, and passes a good ref', () => {
    const err = (() => {
      try {
        assertStorableRef({ type: 'order', id: HIGH });
      } catch (e) {
        return e;
      }
    })();
    expect(isLtyError(err, 'LTY_INVALID_ENTITY_REF')).toBe(true);
    expect((err as { issues: { path: unknown[] }[] }).issues.map((i) => i.path)).toEqual([['id']]);
    expect(() => assertStorableRef({ type: NUL, id: 7 })).toThrow(/type: string holds U\+0000.*id: must be/);
    expect(() => assertStorableRef({ type: 'order', id: 'o-1' })).not.toThrow();
  });
});

// The same rule where it matters: send() refuses, nothing is produced, and reads fail typed.
const Noted = defineEvent({
  type: 'notes.Noted',
  schema: z.object({ id: z.string(), text: z.string(), labels: z.record(z.string(), z.string()) }),
  key: (e) => e.id,
});
const Note = defineCommand({
  name: 'Note',
  input: z.object({ id: z.string(), text: z.string(), labels: z.record(z.string(), z.string()).default({}) }),
  toEvents: (c) => Noted.of(c),
});
// The key function's output is checked, not only the input: here the key is made from the text.
const KeyedByText = defineEvent({
  type: 'notes.KeyedByText',
  schema: z.object({ text: z.string() }),
  key: (e) => `t-${e.text.slice(0, 5)}`,
});
const NoteByText = defineCommand({
  name: 'NoteByText',
  input: z.object({ text: z.string() }),
  // Cuts the text inside a surrogate pair: the payload is cut too, so both key and payload are lone.
  toEvents: (c) => KeyedByText.of({ text: c.text.slice(0, 3) }),
});
const Reading = defineCommand({
  name: 'Reading',
  input: z.object({ id: z.string() }),
  validate: async (c, ctx) => void (await ctx.read({ type: 'notes', id: `${c.id}\u0000` })),
  toEvents: (c) => Noted.of({ id: c.id, text: '', labels: {} }),
});

const services: Service[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

async function notes() {
  const transport = inMemoryTransport();
  const service = createService({
    name: 'notes',
    transport,
    store: inMemoryStateStore(),
    commands: [Note, NoteByText, Reading],
    handlers: [onOwnEvent(Noted, (_s: unknown, e) => e.payload)],
  });
  services.push(service);
  await service.start();
  const produced = async () =>
    [...(await transport.endOffsets('notes.events')).values()].reduce((n, o) => n + Number(o), 0);
  return { service, produced };
}

async function refusal(promise: Promise<unknown>): Promise<CommandValidationError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isLtyError(err, 'LTY_COMMAND_VALIDATION')).toBe(true);
  return err as CommandValidationError;
}

describe('send() of a command holding a string no store can keep', () => {
  it('refuses it with every path, input and send options alike, and produces nothing', async () => {
    const { service, produced } = await notes();
    const err = await refusal(
      service.send(
        Note,
        { id: HIGH, text: NUL, labels: { [LOW]: 'v', ok: HIGH } },
        { idempotencyKey: `idem${NUL}`, correlationId: HIGH },
      ),
    );
    expect(err.issues.map((i) => i.path)).toEqual([
      ['send()', 'idempotencyKey'],
      ['send()', 'correlationId'],
      ['id'],
      ['text'],
      ['labels', LOW],
      ['labels', 'ok'],
    ]);
    expect(await produced()).toBe(0);
  });

  it("checks the events toEvents() makes: the key function's output and the payload", async () => {
    const { service, produced } = await notes();
    const err = await refusal(service.send(NoteByText, { text: 'ab\ud83d\ude00cd' }));
    expect(err.issues.map((i) => i.path)).toEqual([
      ['toEvents()', 0, 'key'],
      ['toEvents()', 0, 'payload', 'text'],
    ]);
    expect(await produced()).toBe(0);
  });

  it('lets the same command through once its strings are clean', async () => {
    const { service, produced } = await notes();
    await service.send(Note, { id: 'n-1', text: 'fine 🧨', labels: { k: 'v' } }, { idempotencyKey: 'i-1' });
    await service.send(NoteByText, { text: 'abc' });
    expect(await produced()).toBe(2);
  });

  it('read() of such an id fails typed, from the service and inside validate()', async () => {
    const { service, produced } = await notes();
    const read = await service.read({ type: 'notes', id: HIGH }).catch((e: unknown) => e);
    expect(isLtyError(read, 'LTY_INVALID_ENTITY_REF')).toBe(true);
    const inValidate = await service.send(Reading, { id: 'n-2' }).catch((e: unknown) => e);
    expect(isLtyError(inValidate, 'LTY_INVALID_ENTITY_REF')).toBe(true);
    expect(await produced()).toBe(0);
  });
});
