import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort, full, runNames, shared, sleep } from './helpers/env';
import { figuresLine } from './helpers/figures';
import { deleteRunTopics, endOffsets, groupLag, waitCaughtUp } from './helpers/kafka-read';
import { countAttempts } from './helpers/load';
import type { OrderProcess } from './helpers/order-process';
import { serviceUnderLoad } from './helpers/service-under-load';
import { privatePostgres } from './helpers/private-servers';
import { verifyRun } from './helpers/verify-run';

// The order service on a Postgres of the test's own, stopped for 30 s under load. The write path never touches
// the database, so commands keep being acked; the self-subscriber retries the applies until the database is back.
const outageMs = 30_000;
const size = full
  ? { ratePerSec: 150, clients: 16, beforeMs: 10_000 }
  : { ratePerSec: 60, clients: 8, beforeMs: 5000 };
const names = runNames('db-outage');
const db = privatePostgres(await freePort());
const run = { names, brokers: shared.kafkaBrokers, postgresUrl: db.url };
let proc: OrderProcess | undefined;

beforeAll(() => db.start(), 120_000);
afterAll(async () => {
  await proc?.kill();
  await deleteRunTopics(shared.kafkaBrokers, names.serviceName).catch(() => undefined);
  await db.destroy();
}, 120_000);

it('dead-letters nothing while Postgres is down for 30 s, recovers its lag and applies exactly once', async () => {
  const started = Date.now();
  let phase = 'before';
  const { p, load } = await serviceUnderLoad(run, { ...size, phase: () => phase }, (x) => (proc = x));
  const group = `${names.serviceName}.self`;
  const topic = `${names.serviceName}.events`;

  await sleep(size.beforeMs);
  await db.stop();
  phase = 'down';
  await sleep(outageMs);
  const lagAtEndOfOutage = await groupLag(shared.kafkaBrokers, group, topic);
  await db.start();
  phase = 'back';
  // Lag recovered: the self group committed everything written up to the moment the database came back.
  const backlog = await endOffsets(shared.kafkaBrokers, topic);
  const lagRecoveredMs = await waitCaughtUp(shared.kafkaBrokers, group, topic, backlog);
  await sleep(3000);
  load.stop();
  await load.done;

  const down = countAttempts(load.attempts, (a) => a.phase === 'down');
  const health = p.incarnations();
  const figures = await verifyRun({
    scenario: 'db-outage',
    run,
    load,
    processes: [p],
    details: {
      'outage s': outageMs / 1000,
      'acked while down': down.acked,
      'failed while down': down.connection + down['5xx'] + down['client-timeout'],
      'lag at end of outage': String(lagAtEndOfOutage),
      'lag recovered after ms': lagRecoveredMs,
      'apply retries': health.reduce((n, h) => n + h.retries, 0),
      'service crashes': p.unexpectedExits(),
      seconds: Math.round((Date.now() - started) / 1000),
    },
  });
  const line = figuresLine(figures);
  expect(p.unexpectedExits(), `the service survived the outage: ${line}\n${p.tail()}`).toBe(0);
  expect(down.acked, 'commands are acked while the database is down').toBeGreaterThan(0);
  expect(lagRecoveredMs, 'lag recovers after the database is back').toBeGreaterThanOrEqual(0);
}, 1_800_000);
