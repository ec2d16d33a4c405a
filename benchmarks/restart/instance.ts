// One instance of a small service for benchmarks/restart/restart.ts, run as a child process it SIGKILLs and
// starts again. It runs the packages' compiled dist, as a deployed service would (restart.ts builds it first). Prints `starting <epoch ms>` as it calls start(), `started <epoch ms>` once it resolved, `ack <epoch ms>` at its first acknowledged
// command and `apply <epoch ms>` at its first applied event; sends a command every 50 ms; stops on SIGTERM.
// Settings from the environment: BENCH_TRANSPORT (kafkajs | confluent), BENCH_SERVICE, KAFKA_BROKERS, and for
// librdkafka BENCH_GROUP_INSTANCE_ID and BENCH_GROUP_PROTOCOL, for kafkajs BENCH_SESSION_TIMEOUT_MS.
import { createRequire } from 'node:module';
import type * as Core from '../../packages/core/src/index';
import type * as Confluent from '../../packages/transport-confluent/src/index';
import { z } from 'zod';

// The compiled packages are loaded by URL so that type-checking (which runs before any build) reads the sources'
// types and never needs a dist.
const dist = (pkg: string) => new URL(`../../packages/${pkg}/dist/index.js`, import.meta.url).href;
const { createService, defineCommand, defineEvent, inMemoryStateStore, kafkaTransport, onOwnEvent } =
  (await import(dist('core'))) as typeof Core;
const { confluentTransport } = (await import(dist('transport-confluent'))) as typeof Confluent;
type Transport = Core.Transport;
type ConfluentLibrary = Confluent.ConfluentLibrary;

const env = process.env;
const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const name = env.BENCH_SERVICE ?? 'restart-bench';

function transport(): Transport {
  const session = env.BENCH_SESSION_TIMEOUT_MS
    ? { sessionTimeoutMs: Number(env.BENCH_SESSION_TIMEOUT_MS) }
    : {};
  if (env.BENCH_TRANSPORT !== 'confluent') return kafkaTransport({ brokers, clientId: name, ...session });
  const library = createRequire(new URL('../../packages/transport-confluent/package.json', import.meta.url))(
    '@confluentinc/kafka-javascript',
  ) as ConfluentLibrary;
  return confluentTransport({
    brokers,
    clientId: name,
    library,
    ...(env.BENCH_GROUP_INSTANCE_ID ? { groupInstanceId: env.BENCH_GROUP_INSTANCE_ID } : {}),
    ...(env.BENCH_GROUP_PROTOCOL === 'consumer' ? { groupProtocol: 'consumer' as const } : {}),
  });
}

const Pinged = defineEvent({
  type: 'bench.Pinged',
  schema: z.object({ n: z.number() }),
  key: (e) => `k${e.n % 16}`,
});
const Ping = defineCommand({ name: 'Ping', input: Pinged.schema, toEvents: (c) => Pinged.of(c) });
let applied = false;
const service = createService({
  name,
  transport: transport(),
  store: inMemoryStateStore(),
  commands: [Ping],
  handlers: [
    onOwnEvent(Pinged, (s: { count: number } | undefined) => {
      if (!applied) {
        applied = true;
        console.log(`apply ${Date.now()}`);
      }
      return { count: (s?.count ?? 0) + 1 };
    }),
  ],
  topic: { partitions: 4 },
});

console.log(`starting ${Date.now()}`);
await service.start();
console.log(`started ${Date.now()}`);
// What the service knows while it waits, for a reader of a run that never applies.
if (env.BENCH_DEBUG)
  setInterval(() => void service.health().then((h) => console.error(JSON.stringify(h))), 5000).unref();
let running = true;
let acked = false;
process.once('SIGTERM', () => {
  running = false;
  void service.stop().then(() => process.exit(0));
});
for (let n = 0; running; n++) {
  try {
    await service.send(Ping, { n });
    if (!acked) {
      acked = true;
      console.log(`ack ${Date.now()}`);
    }
  } catch {
    // Counted by its absence: the parent measures the first ack.
  }
  await new Promise((r) => setTimeout(r, 50));
}
