import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePortPair, full, runNames, shared, sleep } from './helpers/env';
import { figuresLine } from './helpers/figures';
import { privateBroker } from './helpers/private-servers';
import { endOffsets, waitCaughtUp } from './helpers/kafka-read';
import type { OrderProcess } from './helpers/order-process';
import { serviceUnderLoad } from './helpers/service-under-load';
import { dropSchema } from './helpers/store-check';
import { verifyRun } from './helpers/verify-run';

// The order service on a broker of the test's own (helpers/private-servers.ts), stopped and started again
// under load. While it is down, sends must end with a retriable error (HTTP 503) within the transport's send
// timeout rather than hang, and never with a 202; afterwards the same process recovers and applies everything.
const sendTimeoutMs = 30_000; // kafkaTransportDefaults.sendTimeoutMs: the example does not change it
const size = full
  ? { ratePerSec: 150, clients: 16, beforeMs: 10_000, downMs: 60_000 }
  : { ratePerSec: 60, clients: 8, beforeMs: 5000, downMs: 35_000 };
// Longer than the send timeout, so that sends under way when the broker stopped run into it.
size.downMs = Number(process.env.LTY_RELIABILITY_BROKER_DOWN_MS ?? size.downMs);
const names = runNames('broker-restart');
let broker: ReturnType<typeof privateBroker> | undefined;
let proc: OrderProcess | undefined;

beforeAll(async () => {
  broker = privateBroker(await freePortPair());
  await broker.up();
}, 240_000);
afterAll(async () => {
  await proc?.kill();
  await broker?.destroy();
  await dropSchema(shared.postgresUrl, names.schema);
}, 240_000);

it('fails sends fast and retriably while the broker is down, recovers in place, and loses nothing acked', async () => {
  const started = Date.now();
  const brokers = broker!.brokers;
  let phase = 'before';
  const run = { names, brokers, postgresUrl: shared.postgresUrl };
  const { p, load } = await serviceUnderLoad(run, { ...size, phase: () => phase }, (x) => (proc = x));
  const topic = `${names.serviceName}.events`;

  await sleep(size.beforeMs);
  phase = 'stopping';
  await broker!.down();
  phase = 'down';
  await sleep(size.downMs);
  phase = 'starting';
  await broker!.up();
  phase = 'back';
  const backAt = Date.now();
  const ackedAtBack = load.acked.length;
  while (load.acked.length === ackedAtBack && Date.now() - backAt < 120_000) await sleep(50);
  const firstAckAfterMs = Date.now() - backAt;
  const backlog = await endOffsets(brokers, topic);
  const caughtUpMs = await waitCaughtUp(brokers, `${names.serviceName}.self`, topic, backlog);
  await sleep(3000);
  load.stop();
  await load.done;

  // Attempts answered while the broker was down: each must be a retriable failure, never a receipt.
  const answeredDown = load.attempts.filter((a) => a.endPhase === 'down');
  const failMs = load.attempts.filter((a) => a.outcome !== 'acked').map((a) => a.ms);
  const figures = await verifyRun({
    scenario: 'broker-restart',
    run,
    load,
    processes: [p],
    details: {
      'broker down s': size.downMs / 1000,
      'answered while down': answeredDown.length,
      '503 while down': answeredDown.filter((a) => a.status === 503).length,
      'acked while down': answeredDown.filter((a) => a.outcome === 'acked').length,
      'failure latency ms (median/max)': `${median(failMs)}/${Math.max(0, ...failMs)}`,
      'first ack after restart ms': firstAckAfterMs,
      'backlog applied after ms': caughtUpMs,
      'service crashes': p.unexpectedExits(),
      seconds: Math.round((Date.now() - started) / 1000),
    },
  });
  const line = figuresLine(figures);
  expect(p.unexpectedExits(), `the service survived the broker restart: ${line}\n${p.tail()}`).toBe(0);
  expect(answeredDown.length, line).toBeGreaterThan(0);
  // No receipt without a broker; every failure a retriable one (503), none later than the send timeout.
  expect(
    answeredDown.every((a) => a.status === 503),
    line,
  ).toBe(true);
  expect(Math.max(...failMs), line).toBeLessThanOrEqual(sendTimeoutMs + 2000);
  expect(caughtUpMs, 'the consumer recovers without a restart').toBeGreaterThanOrEqual(0);
}, 1_800_000);

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
