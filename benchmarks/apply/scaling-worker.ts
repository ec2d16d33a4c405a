// One instance of benchmarks/apply/scaling.ts, in a process of its own as in production: the framework's service
// (postgresStateStore) or the hand-written consumer (rawConsumer + rawPostgresApply), in the consumer group the
// parent names. Started by the parent with fork(); not meant to be run by hand.
// Protocol: sends 'ready' once set up, starts consuming on 'go', reports its count (with a wall-clock time, the
// one clock processes share) each time it changes, stops on 'stop' and answers 'stopped' with its final count.
import pg from 'pg';
import type { Consumer } from 'kafkajs';
import { serviceConfig } from '../../scripts/services/service-config.mjs';
import { createService, onOwnEvent } from '../../packages/core/src/index';
import { postgresStateStore } from '../../packages/postgres/src/index';
import * as c from './common';
import { rawPostgresApply } from './raw-postgres';

export interface WorkerArgs {
  readonly mode: 'framework' | 'raw';
  readonly topic: string;
  readonly schema: string;
  readonly groupId: string;
  /** The entity type the run writes: a fresh one per run, so that every event is new to it. */
  readonly entity: string;
  readonly batch: number;
}
export type ToParent =
  { kind: 'ready' } | { kind: 'count'; count: number; at: number } | { kind: 'stopped'; count: number };
export type ToWorker = { kind: 'go' } | { kind: 'stop' };

interface Instance {
  /** Records processed so far (applied or found duplicate): what the parent sums up to N. */
  count(): number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const args = JSON.parse(process.argv[2] ?? '{}') as WorkerArgs;
const pool = new pg.Pool({ connectionString: serviceConfig().postgresUrl, max: 10 });
const send = (m: ToParent, then: () => void = () => undefined) => process.send?.(m, then);
// The parent is gone (killed, crashed): never outlive it.
process.on('disconnect', () => process.exit(1));

async function framework(): Promise<Instance> {
  const store = postgresStateStore({ pool }, { schema: args.schema, dedupCleanupIntervalMs: 0 });
  await store.init();
  const service = createService({
    name: `bench-${args.entity}`,
    kafka: { brokers: serviceConfig().kafkaBrokers },
    store,
    topic: { name: args.topic },
    groupId: args.groupId,
    ensureTopics: false,
    applyBatchSize: args.batch,
    handlers: [
      onOwnEvent(c.Deposited, (s: c.Account | undefined, e) => c.reduce(s, e.payload), {
        entity: args.entity,
      }),
    ],
  });
  return {
    count: () => service.stats().applied + service.stats().duplicates,
    start: () => service.start(),
    stop: () => service.stop(),
  };
}

async function raw(): Promise<Instance> {
  const apply = rawPostgresApply(pool, args.schema, args.topic);
  let applied = 0;
  let running: Consumer | undefined;
  return {
    count: () => applied,
    start: async () => {
      running = await c.rawConsumer(
        args.topic,
        args.batch,
        (rs) => apply(args.entity, rs),
        (k) => (applied += k),
        args.groupId,
      );
    },
    stop: async () => {
      await running?.disconnect();
    },
  };
}

async function main(): Promise<void> {
  const instance = args.mode === 'framework' ? await framework() : await raw();
  let reported = 0;
  // Polled like timeRun() in common.ts: the framework has no per-apply hook, and both modes are read the same way.
  const poll = setInterval(() => {
    const count = instance.count();
    if (count !== reported) send({ kind: 'count', count, at: performance.timeOrigin + performance.now() });
    reported = count;
  }, 2);
  process.on('message', (m: ToWorker) => {
    if (m.kind === 'go') void instance.start().catch(fail);
    if (m.kind === 'stop') {
      clearInterval(poll);
      void instance
        .stop()
        .then(() => pool.end())
        .then(() => send({ kind: 'stopped', count: instance.count() }, () => process.exit(0)))
        .catch(fail);
    }
  });
  send({ kind: 'ready' });
}

function fail(err: unknown): void {
  console.error(`scaling worker ${args.mode} ${args.entity}:`, err);
  process.exit(1);
}

main().catch(fail);
