// A newcomer's first service, built from the packed packages only: it sends a command through real Kafka, waits
// until its own consumer applied the event to real Postgres, and reads the state back.
import { randomUUID } from 'node:crypto';
import { createService, defineCommand, defineEntity, defineEvent } from '@listen-to-yourself/core';
import { postgresStateStore, type PostgresStateStore } from '@listen-to-yourself/postgres';
import pg from 'pg';
import { z } from 'zod';
import { packagesLoaded } from './all-packages.js';

const run = randomUUID().slice(0, 8);
const schema = `lty_smoke_${run}`;

const Deposited = defineEvent({
  type: 'smoke.Deposited',
  schema: z.object({ account: z.string(), amountCents: z.number().int().positive() }),
  key: (e) => e.account,
});

const Withdrawn = defineEvent({
  type: 'smoke.Withdrawn',
  schema: z.object({ account: z.string(), amountCents: z.number().int().positive() }),
  key: (e) => e.account,
});

const Deposit = defineCommand({
  name: 'Deposit',
  input: z.object({ account: z.string(), amountCents: z.number().int().positive() }),
  emits: [Deposited],
  toEvents: (cmd) => Deposited.of(cmd),
});

// The packed types keep event names apart: an event of the same payload shape that the command does not list
// fails to compile (the directive fails the build if it did compile).
export const Wrong = defineCommand({
  name: 'Wrong',
  input: z.object({ account: z.string(), amountCents: z.number().int().positive() }),
  emits: [Deposited],
  // @ts-expect-error Withdrawn is not in emits
  toEvents: (cmd) => Withdrawn.of(cmd),
});

interface Balance {
  cents: number;
  deposits: number;
}

// ctx.tx is the Postgres store's PoolClient with no annotation: the entity names its store's type once.
const Account = defineEntity
  .withStore<PostgresStateStore>()<Balance>('account')
  .on(Deposited, async (b, e, ctx) => {
    const { rows } = await ctx.tx.query<{ one: number }>('SELECT 1 AS one');
    return {
      cents: (b?.cents ?? 0) + e.payload.amountCents,
      deposits: (b?.deposits ?? 0) + (rows[0]?.one ?? 0),
    };
  });

const pool = new pg.Pool({
  connectionString: process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
});
const service = createService({
  name: `lty-smoke-${run}`,
  kafka: { brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',') },
  store: postgresStateStore({ pool }, { schema }),
  commands: [Deposit],
  entities: [Account],
});

try {
  await service.start();
  const first = await service.send(Deposit, { account: 'a-1', amountCents: 500 });
  const second = await service.send(Deposit, { account: 'a-1', amountCents: 250 });
  await service.waitForApplied(first.token, { timeoutMs: 30_000 });
  await service.waitForApplied(second.token, { timeoutMs: 30_000 });
  const found = await service.read(Account, 'a-1');
  if (found?.state.cents !== 750 || found.state.deposits !== 2 || found.version !== 2) {
    throw new Error(`read back ${JSON.stringify(found)}, expected 750 cents in 2 deposits at version 2`);
  }
  console.log(
    `smoke: ${process.version}: sent 2 commands through Kafka, read back ${found.state.cents} cents ` +
      `at version ${found.version} from Postgres; ${packagesLoaded()} packages loaded`,
  );
} finally {
  await service.stop();
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
}
