// Shared by the command-path benchmarks: the command and its event, the record a user would produce by hand
// for it (same key, value bytes and headers), the arguments, and the benchmark topic.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
// zod is core's dependency, not the workspace root's: import core's copy, the one defineEvent checks against.
import { z } from 'zod';
import { serviceConfig } from '../../scripts/services/service-config.mjs';
import { HEADERS, defineCommand, defineEvent } from '../../packages/core/src/index';

export const PARTITIONS = 8;
export const CONCURRENCIES = [1, 16, 256];
/** Records per send of the batched baseline. */
export const BATCH = 100;
/** Distinct keys, so that the records spread over every partition as real traffic would. */
export const ENTITIES = 1000;
/** The service's name: the `lty-service` header of its events, copied into the hand-written records. */
export const SERVICE = 'bench';

/**
 * The benchmark's event and command, made with the given core's functions: the CPU benchmarks make them with
 * another commit's core too, for a before-and-after in one process.
 */
export function benchDefinitions(core: {
  defineEvent: typeof defineEvent;
  defineCommand: typeof defineCommand;
}) {
  const Deposited = core.defineEvent({
    type: 'bench.Deposited',
    schema: z.object({ account: z.string(), amount: z.number().int(), seq: z.number().int() }),
    key: (e) => e.account,
  });
  const Deposit = core.defineCommand({
    name: 'bench.Deposit',
    input: z.object({ account: z.string(), amount: z.number().int().positive(), seq: z.number().int() }),
    toEvents: (c) => Deposited.of({ account: c.account, amount: c.amount, seq: c.seq }),
  });
  return { Deposited, Deposit };
}

export const { Deposited, Deposit } = benchDefinitions({ defineEvent, defineCommand });
export type Deposit = z.infer<typeof Deposited.schema>;

export const deposit = (seq: number): Deposit => ({
  account: `acc-${seq % ENTITIES}`,
  amount: 1 + (seq % 7),
  seq,
});

export interface RawRecord {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** What a user writing the producer by hand sends for one deposit: the framework's event, byte for byte. */
export function rawRecord(seq: number): RawRecord {
  const payload = deposit(seq);
  return {
    key: payload.account,
    value: Buffer.from(JSON.stringify(payload), 'utf8'),
    headers: {
      [HEADERS.eventId]: randomUUID(),
      [HEADERS.eventType]: Deposited.type,
      [HEADERS.schemaVersion]: String(Deposited.version),
      [HEADERS.correlationId]: randomUUID(),
      [HEADERS.producedAt]: new Date().toISOString(),
      [HEADERS.service]: SERVICE,
      [HEADERS.command]: Deposit.name,
    },
  };
}

export const rawRecords = (seq: number, count: number): RawRecord[] =>
  Array.from({ length: count }, (_, j) => rawRecord(seq + j));

export interface Args {
  /** Commands (records) per side, round and concurrency; a multiple of BATCH. */
  readonly commands: number;
  readonly rounds: number;
}

export function parseArgs(defaultCommands: number): Args {
  const commands = Number(process.argv[2] ?? defaultCommands);
  const rounds = Number(process.argv[3] ?? 3);
  if (!Number.isInteger(commands) || commands < BATCH) throw new Error(`commands: an integer ≥ ${BATCH}`);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('rounds: a positive integer');
  return { commands: Math.ceil(commands / BATCH) * BATCH, rounds };
}

export const brokers = serviceConfig().kafkaBrokers;
export const unique = (what: string) => `lty_bench_${what}_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
const kafka = new Kafka({ clientId: 'lty-bench-admin', brokers, logLevel: logLevel.NOTHING });

export async function createTopic(topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopic(topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
}
