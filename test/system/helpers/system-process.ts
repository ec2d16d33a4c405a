// One of the two services of system-of-services.int.spec.ts, run as its own process:
//   SYSTEM_ROLE=publisher  takes Place commands on stdin ("send <from> <to> <keys> <poisonSeq>"), stores on Postgres
//   SYSTEM_ROLE=subscriber follows the publisher's topic, notes each Placed as its own Noted, stores on FerretDB
// It writes "ready" and "sent <to>" lines on stdout, and the service's JSON log lines on stderr.
import { createInterface } from 'node:readline';
import pg from 'pg';
import {
  consoleLogger,
  createService,
  NonRetryableError,
  onEvent,
  onOwnEvent,
  type Service,
} from '../../../packages/core/src/index';
import { mongoStateStore } from '../../../packages/mongo/src/index';
import { postgresStateStore } from '../../../packages/postgres/src/index';
import { Noted, Place, Placed, type Seqs } from './contracts';

const env = process.env;
const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const publisher = env.SYSTEM_PUBLISHER!;
const subscriber = env.SYSTEM_SUBSCRIBER!;
const logger = consoleLogger('info');
// A short session, so the group gives a killed member's partitions away within seconds.
const kafka = {
  brokers,
  maxWaitTimeMs: 100,
  sessionTimeoutMs: 8000,
  heartbeatIntervalMs: 1000,
  clientId: `${env.SYSTEM_ROLE}-${process.pid}`,
};
const append = (s: Seqs | undefined, seq: number): Seqs => ({ seqs: [...(s?.seqs ?? []), seq] });

let service: Service;
if (env.SYSTEM_ROLE === 'publisher') {
  const pool = new pg.Pool({ connectionString: env.POSTGRES_URL, max: 8 });
  service = createService({
    name: publisher,
    kafka,
    store: postgresStateStore({ pool }, { schema: env.SYSTEM_SCHEMA! }),
    commands: [Place],
    handlers: [onOwnEvent(Placed, (s: Seqs | undefined, e) => append(s, e.payload.seq))],
    topic: { partitions: 3 },
    logger,
  });
} else {
  const poisonOn = env.SYSTEM_POISON === '1';
  service = createService({
    name: subscriber,
    kafka,
    store: mongoStateStore({ url: env.MONGO_URL!, dbName: env.SYSTEM_DB! }),
    handlers: [
      onEvent(
        Placed,
        (e) => {
          if (poisonOn && e.payload.poison) throw new NonRetryableError(`seq ${e.payload.seq} is poison`);
          return [Noted.of({ key: e.payload.key, seq: e.payload.seq })];
        },
        { group: `${subscriber}.placed`, topic: `${publisher}.events` },
      ),
      onOwnEvent(Noted, (s: Seqs | undefined, e) => append(s, e.payload.seq)),
    ],
    topic: { partitions: 2 },
    logger,
  });
}
await service.start();
process.stdout.write('ready\n');

// "send <from> <to> <keys> <poisonSeq>": seqs from..to, key of seq s is k<s % keys>, 8 sends in flight.
for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, from, to, keys, poison] = line.trim().split(' ');
  if (cmd !== 'send') continue;
  let next = Number(from);
  const last = Number(to);
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let seq = next++; seq <= last; seq = next++) {
        const input = { key: `k${seq % Number(keys)}`, seq, poison: seq === Number(poison) };
        // A failed send is retried with the same idempotency key: the same event id, one effect.
        for (let attempt = 1; ; attempt++) {
          try {
            await service.send(Place, input, { idempotencyKey: `seq-${seq}` });
            break;
          } catch (err) {
            if (attempt >= 5) throw err;
            await new Promise((r) => setTimeout(r, 200 * attempt));
          }
        }
      }
    }),
  );
  process.stdout.write(`sent ${last}\n`);
}
