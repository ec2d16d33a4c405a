import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CommandRejectedError } from '../errors/errors';
import { isLtyError } from '../errors/lty-error';
import { defineEvent } from '../event/define-event';
import { createService, type Service } from '../service/create-service';
import { inMemoryStateStore } from '../store/in-memory-state-store';
import { onOwnEvent } from '../subscriber/handlers';
import { inMemoryTransport } from '../transport/in-memory-transport';
import { defineCommand } from './define-command';

interface Wallet {
  coins: number;
}

const CoinsAdded = defineEvent({
  type: 'wallet.CoinsAdded',
  schema: z.object({ wallet: z.string(), coins: z.number().int() }),
  key: (e) => e.wallet,
});

const AddCoins = defineCommand({
  name: 'AddCoins',
  input: z.object({ wallet: z.string().min(3), coins: z.number().int().positive(), memo: z.string() }),
  // A business rule that needs the store: a wallet holds at most 100 coins.
  validate: async (cmd, ctx) => {
    const found = await ctx.read<Wallet>({ type: 'wallet', id: cmd.wallet });
    if ((found?.state.coins ?? 0) + cmd.coins > 100) throw new CommandRejectedError('wallet full', { cmd });
  },
  toEvents: (cmd) => [
    CoinsAdded.of({ wallet: cmd.wallet, coins: cmd.coins }),
    CoinsAdded.of({ wallet: cmd.wallet, coins: 0 }),
  ],
});

const services: Service[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

async function wallet() {
  const transport = inMemoryTransport();
  const service = createService({
    name: 'wallet',
    transport,
    store: inMemoryStateStore(),
    commands: [AddCoins],
    handlers: [
      onOwnEvent(CoinsAdded, (s: Wallet | undefined, e) => ({ coins: (s?.coins ?? 0) + e.payload.coins })),
    ],
    topic: { partitions: 2 },
  });
  services.push(service);
  await service.start();
  return { service, ends: () => transport.endOffsets('wallet.events') };
}

const UUID_VERSION = (id: string) => id[14];

describe('defineCommand', () => {
  it('reports every input problem in one CommandValidationError and produces nothing', async () => {
    const { service, ends } = await wallet();
    const before = await ends();
    const err = await service.send(AddCoins, { wallet: 'x', coins: -1 } as never).catch((e: unknown) => e);
    expect(isLtyError(err, 'LTY_COMMAND_VALIDATION')).toBe(true);
    const issues = (err as { issues: { path: (string | number)[] }[] }).issues;
    expect(issues.map((i) => i.path.join('.')).sort()).toEqual(['coins', 'memo', 'wallet']);
    expect((err as Error).message).toMatch(/wallet: .*coins: .*memo: /);
    expect(await ends()).toEqual(before);
  });

  it('produces nothing when validate() rejects with CommandRejectedError', async () => {
    const { service, ends } = await wallet();
    const first = await service.send(AddCoins, { wallet: 'w-1', coins: 90, memo: '' });
    await service.waitForApplied(first.token);
    const before = await ends();
    const err = await service.send(AddCoins, { wallet: 'w-1', coins: 20, memo: '' }).catch((e: unknown) => e);
    expect(isLtyError(err, 'LTY_COMMAND_REJECTED')).toBe(true);
    expect((err as CommandRejectedError).reason).toBe('wallet full');
    expect(await ends()).toEqual(before);
    expect((await service.read<Wallet>({ type: 'wallet', id: 'w-1' }))?.state.coins).toBe(90);
  });

  it('fails with EventSchemaError, producing nothing, when toEvents() builds an invalid event', async () => {
    const Broken = defineCommand({
      name: 'Broken',
      input: z.object({ wallet: z.string() }),
      // A converter bug: the first event is fine, the second is not an integer.
      toEvents: (cmd) => [
        CoinsAdded.of({ wallet: cmd.wallet, coins: 1 }),
        CoinsAdded.of({ wallet: cmd.wallet, coins: 0.5 }),
      ],
    });
    const transport = inMemoryTransport();
    const service = createService({
      name: 'wallet',
      transport,
      store: inMemoryStateStore(),
      commands: [Broken],
      handlers: [],
    });
    services.push(service);
    await service.start();
    const before = await transport.endOffsets('wallet.events');
    const err = await service.send(Broken, { wallet: 'w-9' }).catch((e: unknown) => e);
    expect(isLtyError(err, 'LTY_SCHEMA')).toBe(true);
    expect((err as Error).message).toMatch(/Event wallet\.CoinsAdded fails its schema: coins: /);
    expect((err as { issues: { path: (string | number)[] }[] }).issues.map((i) => i.path)).toEqual([
      ['coins'],
    ]);
    expect(await transport.endOffsets('wallet.events')).toEqual(before);
  });

  it('gives deterministic ids (v5) with an idempotency key and fresh v7 ids without one', async () => {
    const { service } = await wallet();
    const input = { wallet: 'w-2', coins: 1, memo: '' };
    const a = await service.send(AddCoins, input, { idempotencyKey: 'k-1' });
    const b = await service.send(AddCoins, input, { idempotencyKey: 'k-1' });
    const c = await service.send(AddCoins, input, { idempotencyKey: 'k-2' });
    expect(a.eventIds).toHaveLength(2);
    expect(b.eventIds).toEqual(a.eventIds);
    expect(new Set([...a.eventIds, ...c.eventIds]).size).toBe(4);
    expect(a.eventIds.map(UUID_VERSION)).toEqual(['5', '5']);
    const d = await service.send(AddCoins, input);
    const e = await service.send(AddCoins, input);
    expect([...d.eventIds, ...e.eventIds].map(UUID_VERSION)).toEqual(['7', '7', '7', '7']);
    expect(new Set([...d.eventIds, ...e.eventIds]).size).toBe(4);
  });

  it('refuses a definition with one ConfigError listing every problem', () => {
    const err = (() => {
      try {
        defineCommand({
          name: 'bad name',
          input: {} as z.ZodString,
          toEvents: 'no' as never,
          validate: 1 as never,
        });
      } catch (e) {
        return e;
      }
    })();
    expect(isLtyError(err, 'LTY_CONFIG')).toBe(true);
    expect((err as { issues: string[] }).issues).toHaveLength(4);
  });
});
