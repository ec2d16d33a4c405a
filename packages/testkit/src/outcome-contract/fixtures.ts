import { randomUUID } from 'node:crypto';
import {
  createService,
  deadLetters,
  defineCommand,
  defineEvent,
  NonRetryableError,
  onOwnEvent,
  type DeadLetters,
  type Service,
  type StateStore,
  type Transport,
} from '@listen-to-yourself/core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { z } from 'zod';

/** What the outcome suite runs on: clients of one Kafka cluster and the store every instance shares. */
export interface OutcomeContractSetup {
  /** A new client of the same cluster on each call, as a separate process would have. */
  readonly transport: () => Transport;
  /** The store of the service under test, shared by its instances as one database would be. */
  readonly store: StateStore;
  /** Called once after the suite. */
  readonly cleanup?: () => Promise<void>;
}

export type OutcomeContractFactory = () => Promise<OutcomeContractSetup>;

export interface Account {
  balance: number;
}

export const Deposited = defineEvent({
  type: 'outcome.Deposited',
  schema: z.object({ account: z.string(), amount: z.number().int(), note: z.string().optional() }),
  key: (e) => e.account,
});

export const Deposit = defineCommand({
  name: 'Deposit',
  input: z.object({ account: z.string().min(1), amount: z.number().int(), note: z.string().optional() }),
  toEvents: (c) => Deposited.of(c),
});

/** Far longer than any dead letter takes to be seen: a rejection well before it is a prompt one. */
export const WAIT_MS = 30_000;

export interface OutcomeHarness {
  /** A fresh service name and entity-id prefix for one case. */
  scenario(): Scenario;
}

export interface Scenario {
  /** Ids unique to this case. */
  id(name: string): string;
  /** Accounts whose events fail (NonRetryableError) while listed; negative amounts always fail. */
  readonly failing: Set<string>;
  /** An instance of the case's service (same name, group and topic each time), started. */
  instance(options?: { subscribe?: boolean; start?: boolean; readOnSend?: boolean }): Promise<Service>;
  /** The case's dead letters, through a client of their own. */
  deadLetters(): DeadLetters;
  balance(account: string): Promise<number | undefined>;
}

export function createOutcomeHarness(factory: OutcomeContractFactory): OutcomeHarness {
  let setup: OutcomeContractSetup | undefined;
  const open: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    setup = await factory();
  });
  afterEach(async () => {
    for (const close of open.splice(0).reverse()) await close().catch(() => undefined);
  });
  afterAll(async () => {
    await setup?.cleanup?.();
  });

  return {
    scenario() {
      const s = setup!;
      const run = randomUUID().slice(0, 8);
      const name = `outcome-${run}`;
      const failing = new Set<string>();
      const handler = onOwnEvent(
        Deposited,
        (state: Account | undefined, e, ctx) => {
          if (e.payload.amount < 0 || failing.has(e.payload.account)) {
            throw new NonRetryableError(`deposit ${e.payload.amount} to ${e.payload.account} refused`);
          }
          // A business refusal at apply time: the state stays as it was.
          if (e.payload.amount === 0) return ctx.reject('nothing to deposit');
          return { balance: (state?.balance ?? 0) + e.payload.amount };
        },
        { entity: 'account' },
      );
      return {
        id: (n) => `${n}-${run}`,
        failing,
        async instance(options = {}) {
          const service = createService({
            name,
            transport: s.transport(),
            store: s.store,
            commands: [Deposit],
            handlers: [handler],
            topic: { partitions: 2 },
            subscribe: options.subscribe ?? true,
            idempotencyReadOnSend: options.readOnSend ?? false,
          });
          open.push(() => service.stop());
          if (options.start !== false) await service.start();
          return service;
        },
        deadLetters() {
          const transport = s.transport();
          const dlq = deadLetters({ transport, topic: `${name}.events`, groupId: `${name}.self` });
          open.push(async () => {
            await dlq.close();
            await transport.disconnect();
          });
          return dlq;
        },
        async balance(account) {
          return (await s.store.get<Account>({ type: 'account', id: account }))?.state.balance;
        },
      };
    },
  };
}

/** Calls `fn` until it returns true or `timeoutMs` passes; false then. */
export async function eventually(fn: () => Promise<boolean>, timeoutMs = WAIT_MS): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
