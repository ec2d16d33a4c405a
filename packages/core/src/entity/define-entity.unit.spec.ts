import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../command/define-command';
import { isLtyError } from '../errors/lty-error';
import { defineEvent } from '../event/define-event';
import { createService } from '../service/create-service';
import type { Service } from '../service/service-types';
import type { StateStore, StoredEntity } from '../store/state-store';
import { inMemoryStateStore } from '../store/in-memory-state-store';
import { inMemoryTransport } from '../transport/in-memory-transport';
import { defineEntity } from './define-entity';

interface Account {
  balance: number;
  movements: number;
}
const movement = z.object({ account: z.string().min(1), amount: z.number().int().positive() });
const Credited = defineEvent({ type: 'acct.Credited', schema: movement, key: (e) => e.account });
const Debited = defineEvent({ type: 'acct.Debited', schema: movement, key: (e) => e.account });
const Credit = defineCommand({ name: 'Credit', input: movement, toEvents: (c) => Credited.of(c) });
const Debit = defineCommand({ name: 'Debit', input: movement, toEvents: (c) => Debited.of(c) });

const AccountEntity = defineEntity<Account>('account', { initial: () => ({ balance: 0, movements: 0 }) })
  .on(Credited, (s, e) => ({ balance: s.balance + e.payload.amount, movements: s.movements + 1 }))
  .on(Debited, (s, e) => ({ balance: s.balance - e.payload.amount, movements: s.movements + 1 }));

const services: Service[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

describe('defineEntity', () => {
  it('applies its reducers to the entity type it names, from its initial state; reads are typed by it', async () => {
    const transport = inMemoryTransport();
    const service = createService({
      name: 'acct',
      transport,
      store: inMemoryStateStore(),
      commands: [Credit, Debit],
      entities: [AccountEntity],
    });
    services.push(service);
    await service.start();
    await service.send(Credit, { account: 'a-1', amount: 5 });
    const last = await service.send(Debit, { account: 'a-1', amount: 2 });
    await service.waitForApplied(last.token);
    const read = await service.read(AccountEntity, 'a-1');
    expectTypeOf(read).toEqualTypeOf<StoredEntity<Account> | undefined>();
    expect(read).toMatchObject({ state: { balance: 3, movements: 2 }, version: 2 });
    expect(await service.read<Account>({ type: 'account', id: 'a-1' })).toEqual(read);
    expect(await service.read(AccountEntity, 'nobody')).toBeUndefined();
  });

  it('a reducer may refuse the event with ctx.reject: the state stays, the caller hears LTY_REJECTED', async () => {
    const NoOverdraft = defineEntity<Account>('account', { initial: () => ({ balance: 0, movements: 0 }) })
      .on(Credited, (s, e) => ({ balance: s.balance + e.payload.amount, movements: s.movements + 1 }))
      .on(Debited, (s, e, ctx) =>
        s.balance < e.payload.amount
          ? ctx.reject('insufficient funds')
          : { balance: s.balance - e.payload.amount, movements: s.movements + 1 },
      );
    const service = createService({
      name: 'acct',
      transport: inMemoryTransport(),
      store: inMemoryStateStore(),
      commands: [Credit, Debit],
      entities: [NoOverdraft],
    });
    services.push(service);
    await service.start();
    await service.waitForApplied((await service.send(Credit, { account: 'a-1', amount: 5 })).token);
    const refused = await service.send(Debit, { account: 'a-1', amount: 9 });
    const error = await service.waitForApplied(refused.token).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isLtyError(error, 'LTY_REJECTED'), String(error)).toBe(true);
    expect((await service.read(NoOverdraft, 'a-1'))?.state).toEqual({ balance: 5, movements: 1 });
  });

  it('without initial, a reducer sees undefined for a new entity', () => {
    const Counter = defineEntity<number>('counter').on(Credited, (s, e) => {
      expectTypeOf(s).toEqualTypeOf<number | undefined>();
      return (s ?? 0) + e.payload.amount;
    });
    expect(Counter.handlers.map((h) => [h.definition.type, h.entity])).toEqual([
      ['acct.Credited', 'counter'],
    ]);
  });

  it('is immutable: on() returns a new definition, and two reducers of one event type are refused', () => {
    const base = defineEntity<number>('n');
    const one = base.on(Credited, (s) => (s ?? 0) + 1);
    expect(base.handlers).toHaveLength(0);
    expect(one.handlers).toHaveLength(1);
    let error: unknown;
    try {
      one.on(Credited, (s) => (s ?? 0) + 2);
    } catch (err) {
      error = err;
    }
    expect(isLtyError(error, 'LTY_CONFIG'), String(error)).toBe(true);
  });

  it('refuses entities without a store, and a name that is not one', () => {
    const attempt = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err;
      }
      return undefined;
    };
    const noStore = attempt(() =>
      createService({ name: 'acct', transport: inMemoryTransport(), entities: [AccountEntity] }),
    );
    expect(isLtyError(noStore, 'LTY_CONFIG'), String(noStore)).toBe(true);
    expect(
      isLtyError(
        attempt(() => defineEntity('')),
        'LTY_CONFIG',
      ),
    ).toBe(true);
  });

  it('types ctx.tx by the store given to the service, and refuses an entity of another store', () => {
    interface PoolClientLike {
      query(sql: string): Promise<unknown>;
    }
    const pgLike = inMemoryStateStore() as unknown as StateStore<PoolClientLike>;
    const Ledger = defineEntity<number, PoolClientLike>('ledger').on(Credited, async (s, e, ctx) => {
      expectTypeOf(ctx.tx).toEqualTypeOf<PoolClientLike>();
      await ctx.tx.query('select 1');
      return (s ?? 0) + e.payload.amount;
    });
    const options = { name: 'ledger', transport: inMemoryTransport(), commands: [Credit] };
    // Both compile: an entity written for the store's Tx, and one that does not use tx at all.
    const Plain = defineEntity<number>('plain').on(Debited, (s) => (s ?? 0) + 1);
    createService({ ...options, store: pgLike, entities: [Ledger, Plain] });
    // @ts-expect-error an entity whose reducers need a PoolClient cannot run on a store without one
    createService({ ...options, store: inMemoryStateStore(), entities: [Ledger] });
    const readWithoutId = (service: Service) =>
      // @ts-expect-error a read names an entity definition and an id, not a definition alone
      service.read(AccountEntity);
    expect(typeof readWithoutId).toBe('function');
  });
});
