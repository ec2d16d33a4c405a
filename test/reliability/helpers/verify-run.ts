import { expect } from 'vitest';
import { DLQ_HEADERS, HEADERS } from '../../../packages/core/src/index';
import { figuresLine, report, type Figures } from './figures';
import { readTopic } from './kafka-read';
import { countAttempts, type Load } from './load';
import type { OrderProcess } from './order-process';
import type { RunSetup } from './service-under-load';
import { checkStore, expectedFromTopic } from './store-check';
import { checkStoreByReads } from './store-check-by-reads';

export interface RunUnderTest {
  scenario: string;
  run: RunSetup;
  load: Load;
  /** The run's processes: the duplicates they reported skipping are summed over them and their incarnations. */
  processes: readonly OrderProcess[];
  /** Scenario figures printed after the common ones. */
  details: Record<string, string | number>;
}

/**
 * Reads the run's topic and DLQ back with an independent consumer, checks the store against every acked command,
 * prints the figures line, and asserts: every 202 names a record of its command, every acked event applied exactly
 * once and in its key's order, totals add up, no other answer than 202, 5xx or a connection error, no dead letter.
 */
export async function verifyRun(test: RunUnderTest): Promise<Figures> {
  const { load, run } = test;
  const topic = `${run.names.serviceName}.events`;
  const records = await readTopic(run.brokers, topic);
  const { expected, phantom } = expectedFromTopic(load.orders, load.acked, records);
  // On Postgres the check reads the store's tables (event ids included); on the others, each order through the
  // store adapter (version and history).
  const check =
    (run.store ?? 'postgres') === 'postgres'
      ? await checkStore(run.postgresUrl, run.names.schema, expected)
      : await checkStoreByReads(run.store!, run.names.schema, expected, load.orders);
  const dlq = await readTopic(run.brokers, `${topic}.dlq`);
  const deadLetters = dlq.filter((r) => r.headers[DLQ_HEADERS.reason] !== undefined);
  const ids = records.map((r) => r.headers[HEADERS.eventId]);
  const attempts = countAttempts(load.attempts);
  const figures: Figures = {
    scenario: test.scenario,
    acked: load.acked.length,
    applied: check.applied,
    duplicates: test.processes.flatMap((p) => p.incarnations()).reduce((n, h) => n + h.duplicates, 0),
    deadLettered: deadLetters.length,
    lost: check.lost + phantom.length,
    doubled: check.doubled + check.outOfOrder,
    details: {
      commands: load.acked.length,
      orders: expected.length,
      ...test.details,
      'failed attempts: connection': attempts.connection,
      '5xx': attempts['5xx'],
      'client timeouts': attempts['client-timeout'],
      'other answers': attempts.unexpected,
      'given up': load.abandoned.length,
      'receipts without a record': phantom.length,
      're-sent records in the topic': ids.length - new Set(ids).size,
      'sum of totals stored/expected': `${check.sumStored}/${check.sumExpected}`,
    },
  };
  report(figures);
  const line = figuresLine(figures);
  expect(attempts.unexpected, `a failed send is a 5xx or a connection error: ${line}`).toBe(0);
  expect(load.abandoned, `every command began is acked in the end: ${line}`).toEqual([]);
  expect(phantom, `no 202 without the record it names: ${line}`).toEqual([]);
  expect(check, line).toMatchObject({ lost: 0, doubled: 0, outOfOrder: 0, wrongTotal: 0, extraOrders: 0 });
  expect(check.applied, line).toBe(load.acked.length);
  expect(check.sumStored, line).toBe(check.sumExpected);
  expect(deadLetters, line).toHaveLength(0);
  return figures;
}
