import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { configFromEnv } from '../../examples/order-service/src/config';
import { CancelOrder, CreateOrder, isKnownCustomer } from '../../examples/order-service/src/domain';
import { startOrderService, type Running } from '../../examples/order-service/src/service';
import {
  DLQ_HEADERS,
  isLtyError,
  type CommandDefinition,
  type Receipt,
  type ValidationIssue,
} from '../../packages/core/src/index';
import { full, randomInt, runNames, shared } from './helpers/env';
import { figuresLine, report } from './helpers/figures';
import { generate, mutate } from './helpers/fuzz';
import { corruptRecords } from './helpers/corrupt-records';
import { deleteRunTopics, endOffsets, readTopic } from './helpers/kafka-read';

// The order service in this process: fuzzed commands through `send()`, then corrupt records written past it,
// straight into its topic.
const size = full ? { fuzzed: 5000, corrupt: 500, good: 1000 } : { fuzzed: 1000, corrupt: 100, good: 200 };
const names = runNames('bad-input');
const config = {
  ...configFromEnv(),
  // Its store checks read Postgres tables: this scenario runs on Postgres whatever STORE says.
  store: { ...configFromEnv().store, kind: 'postgres' as const },
  serviceName: names.serviceName,
  schema: names.schema,
  // No legacy service in this run: a topic of its own keeps other runs' refusals out.
  legacyTopic: `${names.serviceName}-legacy.events`,
};
let orders: Running;
const pool = new pg.Pool({ connectionString: shared.postgresUrl, max: 2 });
const topic = `${names.serviceName}.events`;
const sum = (m: Map<number, bigint>) => [...m.values()].reduce((a, b) => a + b, 0n);

beforeAll(async () => {
  orders = await startOrderService(config);
}, 120_000);
afterAll(async () => {
  await orders?.close();
  await pool.query(`DROP SCHEMA IF EXISTS "${names.schema}" CASCADE`).catch(() => undefined);
  await pool.end();
  await deleteRunTopics(shared.kafkaBrokers, names.serviceName).catch(() => undefined);
}, 120_000);

/** How many of these events the store applied, and how many entities changed more often than their events. */
async function appliedOf(receipts: Receipt[]): Promise<{ applied: number; doubled: number }> {
  await Promise.all(receipts.map((r) => orders.service.waitForApplied(r.token, { timeoutMs: 60_000 })));
  const ids = receipts.flatMap((r) => r.eventIds);
  const t = (name: string) => `"${names.schema}".lty_${name}`;
  const applied = await pool.query<{ n: string }>(
    `SELECT count(DISTINCT event_id) AS n FROM ${t('applied_events')} WHERE event_id = ANY($1)`,
    [ids],
  );
  // An entity whose version is above the number of events recorded for it changed more often than it should.
  const doubled = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${t('entities')} e
     JOIN (SELECT entity_type, entity_id, count(*) AS events FROM ${t('applied_events')} GROUP BY 1, 2) a
       USING (entity_type, entity_id)
     WHERE e.version > a.events AND e.entity_id IN (SELECT entity_id FROM ${t('applied_events')} WHERE event_id = ANY($1))`,
    [ids],
  );
  return { applied: Number(applied.rows[0]!.n), doubled: Number(doubled.rows[0]!.n) };
}

it(`rejects bad commands with typed errors and dead-letters ${size.corrupt} corrupt records`, async () => {
  const started = Date.now();
  // Part 1: fuzzed commands. zod is the oracle: invalid input must fail with every issue zod finds, and nothing
  // may reach the topic; valid input is accepted unless the business rule (a known customer) refuses it.
  const before = sum(await endOffsets(shared.kafkaBrokers, topic));
  const accepted: Receipt[] = [];
  const outcome = { accepted: 0, invalid: 0, refused: 0, wrong: [] as string[] };
  const customers = {
    customerId: () => (Math.random() < 0.8 ? `customer-${randomInt(0, 999)}` : `mallory-${randomInt(0, 9)}`),
  };
  for (let i = 0; i < size.fuzzed; i++) {
    const command: CommandDefinition = Math.random() < 0.7 ? CreateOrder : CancelOrder;
    let input = generate(command.input, customers);
    // One in five stays valid; the others get one to three mutations.
    if (i % 5 !== 0) for (let m = randomInt(1, 3); m > 0; m--) input = mutate(input);
    const expected = command.input.safeParse(input);
    try {
      const receipt = await orders.service.send(command, input);
      accepted.push(receipt);
      outcome.accepted++;
      const refusable =
        command === CreateOrder && !isKnownCustomer((expected.data as { customerId: string }).customerId);
      if (!expected.success || refusable) outcome.wrong.push(`accepted: ${describe(input)}`);
    } catch (err) {
      if (isLtyError(err, 'LTY_COMMAND_VALIDATION')) {
        outcome.invalid++;
        const issues = (err as unknown as { issues: ValidationIssue[] }).issues;
        if (expected.success || issues.length !== expected.error.issues.length) {
          outcome.wrong.push(`validation error with ${issues.length} issues: ${describe(input)}`);
        }
      } else if (isLtyError(err, 'LTY_COMMAND_REJECTED')) {
        outcome.refused++;
        if (!expected.success) outcome.wrong.push(`refused instead of invalid: ${describe(input)}`);
      } else {
        outcome.wrong.push(`untyped ${String(err)}: ${describe(input)}`);
      }
    }
  }
  const after = sum(await endOffsets(shared.kafkaBrokers, topic));
  const acceptedEvents = accepted.reduce((n, r) => n + r.eventIds.length, 0);
  const fuzzApplied = await appliedOf(accepted);

  // Part 2: corrupt records written straight into the topic with kafkajs, between good commands of other keys.
  const kafka = new Kafka({
    brokers: shared.kafkaBrokers,
    clientId: 'lty-reliability',
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer();
  await producer.connect();
  const corrupt = corruptRecords(size.corrupt);
  const written: { partition: number; offset: string; reason: string; kind: string }[] = [];
  const good: Receipt[] = [];
  const goodEvery = Math.max(1, Math.floor(size.good / size.corrupt));
  for (const [i, c] of corrupt.entries()) {
    const [meta] = await producer.send({ topic, acks: -1, messages: [c.message] });
    written.push({ partition: meta!.partition, offset: meta!.baseOffset!, reason: c.reason, kind: c.kind });
    for (let g = 0; g < goodEvery && good.length < size.good; g++) {
      good.push(
        await orders.service.send(CreateOrder, {
          orderId: crypto.randomUUID(),
          customerId: `customer-${i}`,
          items: [{ sku: 'SKU-MUG', quantity: 1, unitPriceCents: 800 }],
        }),
      );
    }
  }
  await producer.disconnect();
  const goodApplied = await appliedOf(good);
  // Every corrupt record is behind a good one of its partition or the end; wait until the DLQ holds them all.
  let dlq: Awaited<ReturnType<typeof readTopic>> = [];
  for (let t = 0; t < 120 && dlq.length < corrupt.length; t++) {
    dlq = (await readTopic(shared.kafkaBrokers, `${topic}.dlq`)).filter((r) => r.headers[DLQ_HEADERS.reason]);
    if (dlq.length < corrupt.length) await new Promise((r) => setTimeout(r, 500));
  }
  const byOrigin = new Map(
    dlq.map((r) => [
      `${r.headers[DLQ_HEADERS.originalPartition]}:${r.headers[DLQ_HEADERS.originalOffset]}`,
      r,
    ]),
  );
  // Dead letters of anything but the corrupt records: accepted commands whose events could not be applied.
  const origins = new Set(written.map((w) => `${w.partition}:${w.offset}`));
  const strays = [...byOrigin]
    .filter(([origin]) => !origins.has(origin))
    .map(
      ([, r]) =>
        `${r.headers[DLQ_HEADERS.reason]}: ${r.headers[DLQ_HEADERS.exceptionMessage]} (${r.value?.toString('utf8').slice(0, 300)})`,
    );
  const misrouted = written.filter((w) => {
    const d = byOrigin.get(`${w.partition}:${w.offset}`);
    return !d || d.headers[DLQ_HEADERS.reason] !== w.reason || !d.headers[DLQ_HEADERS.exceptionMessage];
  });

  const stats = orders.service.stats();
  const acked = acceptedEvents + good.length;
  const applied = fuzzApplied.applied + goodApplied.applied;
  const figures = {
    scenario: 'bad-input',
    acked,
    applied,
    duplicates: stats.duplicates,
    deadLettered: dlq.length,
    lost: acked - applied + misrouted.length,
    doubled: fuzzApplied.doubled + goodApplied.doubled,
    details: {
      fuzzed: size.fuzzed,
      accepted: outcome.accepted,
      'invalid (typed, every issue listed)': outcome.invalid,
      'refused (typed)': outcome.refused,
      'wrong outcomes': outcome.wrong.length,
      'records from rejected commands': String(after - before - BigInt(acceptedEvents)),
      'corrupt records': corrupt.length,
      'dead letters with their reason': corrupt.length - misrouted.length,
      'other dead letters': strays.length,
      reasons: Object.entries(countBy(written.map((w) => w.reason)))
        .map(([k, v]) => `${k} ${v}`)
        .join('/'),
      'good records among them': good.length,
      parked: stats.parked,
      seconds: Math.round((Date.now() - started) / 1000),
    },
  };
  report(figures);
  const line = figuresLine(figures);
  expect(outcome.wrong, line).toEqual([]);
  expect(strays, line).toEqual([]);
  expect(after - before, 'rejected commands produce nothing').toBe(BigInt(acceptedEvents));
  expect(fuzzApplied.applied, line).toBe(acceptedEvents);
  expect(goodApplied.applied, 'every good record applied').toBe(good.length);
  expect(misrouted, line).toEqual([]);
  expect(dlq, line).toHaveLength(corrupt.length);
  expect(figures.doubled, line).toBe(0);
  expect(stats.parked, 'corrupt records have keys of their own: nothing parked').toBe(0);
}, 1_800_000);

function describe(input: unknown): string {
  try {
    return JSON.stringify(input, (_k, v: unknown) =>
      typeof v === 'bigint' || typeof v === 'symbol' ? String(v) : v,
    ).slice(0, 200);
  } catch {
    return String(input);
  }
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
