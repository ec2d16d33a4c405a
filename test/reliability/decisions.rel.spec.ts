import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { DLQ_HEADERS, HEADERS, createService, type StateStore } from '../../packages/core/src/index';
import { full, randomInt, runNames, shared, sleep } from './helpers/env';
import { figuresLine, report } from './helpers/figures';
import { deleteRunTopics, endOffsets, readTopic, type ReadRecord } from './helpers/kafka-read';
import { ENTITY, Reserve, Restock, announcementsTopic, type Stock } from './decisions/stock-domain';
import { stockProcess } from './decisions/stock-process';
import { openStore, type StoreKind } from './decisions/stores';
import { verifyDecisions, type OwnRecord } from './decisions/verify-decisions';

// Apply-time decisions through crashes: the stock service (a child process) decides reservations against a
// stock per item, many at once and more than is in stock, announcing each acceptance and each refusal through
// its entities' outboxes, and is SIGKILLed at random points under that load. Afterwards every item's state, every
// stored refusal and every announcement must agree with the decisions replayed from the topic: nothing lost, no
// decision announced under two ids, no item's announcements out of order (re-sends by the same id are counted).
const size = full
  ? { items: 50, stock: 10, reservations: 5000, ratePerSec: 100, kills: 8 }
  : { items: 12, stock: 10, reservations: 400, ratePerSec: 40, kills: 2 };
const RESTOCK_EVERY = 10;
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
}, 180_000);

describe.each(['postgres', 'cassandra'] as const)('decisions on %s', (store: StoreKind) => {
  it(`agree with state and announcements across ${size.kills} SIGKILLs under concurrent reservations`, async () => {
    const started = Date.now();
    const names = runNames(`decisions-${store}`);
    const service = names.serviceName;
    const kafka = new Kafka({ brokers: shared.kafkaBrokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(async () => {
      await admin.disconnect();
      await deleteRunTopics(shared.kafkaBrokers, service);
    });
    await admin.createTopics({ topics: [{ topic: announcementsTopic(service), numPartitions: 4 }] });
    const { store: verifyStore, drop } = openStore(store, names.schema);
    cleanups.push(async () => (await verifyStore.close(), await drop()));
    const p = stockProcess({ serviceName: service, store, space: names.schema });
    cleanups.push(() => p.stop());
    await p.start();

    // Commands come from a process that is never killed: a sender of the same service that applies nothing.
    const sender = createService({
      name: service,
      kafka: { brokers: shared.kafkaBrokers },
      topic: { partitions: 4 },
      commands: [Restock, Reserve],
      subscribe: false,
    });
    cleanups.push(() => sender.stop());
    await sender.start();
    const skus = Array.from({ length: size.items }, (_, i) => `sku-${i}`);
    const acked: string[] = [];
    const sendUntilAcked = async (send: () => Promise<{ eventIds: readonly string[] }>) => {
      for (let attempt = 1; ; attempt++) {
        try {
          acked.push(...(await send()).eventIds);
          return;
        } catch (err) {
          if (attempt >= 20) throw err;
          await sleep(500);
        }
      }
    };
    await Promise.all(
      skus.map((sku) => sendUntilAcked(() => sender.send(Restock, { sku, quantity: size.stock }))),
    );

    const inFlight = new Set<Promise<void>>();
    const load = (async () => {
      for (let i = 0; i < size.reservations; i++) {
        const sku = skus[randomInt(0, skus.length - 1)]!;
        const key = randomUUID();
        const sent =
          i % RESTOCK_EVERY === RESTOCK_EVERY - 1
            ? sendUntilAcked(() => sender.send(Restock, { sku, quantity: 3 }, { idempotencyKey: key }))
            : sendUntilAcked(() =>
                sender.send(
                  Reserve,
                  { sku, reservationId: key, quantity: randomInt(1, 3) },
                  { idempotencyKey: key },
                ),
              );
        inFlight.add(sent);
        void sent.finally(() => inFlight.delete(sent));
        await sleep(1000 / size.ratePerSec);
      }
      await Promise.all(inFlight);
    })();
    const points = Array.from({ length: size.kills }, () =>
      randomInt(Math.floor(size.reservations * 0.1), Math.floor(size.reservations * 0.9)),
    ).sort((a, b) => a - b);
    for (const point of points) {
      while (acked.length < point) await sleep(50);
      await sleep(randomInt(0, 1000));
      await p.kill();
      await p.start();
    }
    await load;

    const topic = `${service}.events`;
    const ends = await endOffsets(shared.kafkaBrokers, topic);
    const caughtUp = await waitApplied(kafka, `${service}.self`, topic, ends);
    expect(caughtUp, `the self group commits past the end of the run; see ${p.logFile}`).toBe(true);

    const own = (await readTopic(shared.kafkaBrokers, topic)).map(ownRecord);
    const announced = await readTopic(shared.kafkaBrokers, announcementsTopic(service));
    const dlq = await readTopic(shared.kafkaBrokers, `${topic}.dlq`);
    const stocks = new Map<string, Stock | undefined>();
    for (const sku of skus) stocks.set(sku, (await verifyStore.get<Stock>({ type: ENTITY, id: sku }))?.state);
    const rejections = await rejectionsOf(verifyStore, own);
    const f = verifyDecisions({
      service,
      own,
      announcements: announced.map((r) => ({
        partition: r.partition,
        offset: r.offset,
        id: r.headers[HEADERS.eventId]!,
        causationId: r.headers[HEADERS.causationId]!,
        type: r.headers[HEADERS.eventType]!,
        payload: JSON.parse(r.value!.toString('utf8')) as unknown,
      })),
      stocks,
      rejections,
      acked,
    });
    const stats = p.incarnations();
    const sum = (k: keyof (typeof stats)[number]) => stats.reduce((n, s) => n + s[k], 0);
    const figures = {
      scenario: `decisions (${store})`,
      acked: acked.length,
      // Every distinct event of the topic, decided as the replay decides it (the checks below fail otherwise).
      applied: f.events,
      duplicates: sum('duplicates'),
      deadLettered: dlq.filter((r) => r.headers[DLQ_HEADERS.reason] !== undefined).length,
      lost: f.lost,
      doubled: f.doubled + f.outOfOrder,
      details: {
        kills: size.kills,
        items: size.items,
        reservations: f.reservations,
        'accepted / refused': `${f.accepted} / ${f.refused}`,
        'announcement records / distinct ids': `${f.announcementRecords} / ${f.distinctIds}`,
        're-sent by the same id': f.resent,
        'out of order': f.outOfOrder,
        'mismatched announcements or refusals': f.mismatched,
        'items whose state disagrees (or negative)': f.stateMismatch,
        'relay failures (lower bound)': sum('relayFailures'),
        seconds: Math.round((Date.now() - started) / 1000),
      },
    };
    report(figures);
    const line = `${figuresLine(figures)}\n${f.problems.join('\n')}`;
    expect(f.reservations, line).toBe(size.reservations - Math.floor(size.reservations / RESTOCK_EVERY));
    expect(f, line).toMatchObject({ lost: 0, doubled: 0, outOfOrder: 0, mismatched: 0, stateMismatch: 0 });
    expect(f.distinctIds, line).toBe(f.reservations);
    expect(figures.deadLettered, line).toBe(0);
  }, 1_500_000);
});

function ownRecord(r: ReadRecord): OwnRecord {
  return {
    partition: r.partition,
    offset: r.offset,
    eventId: r.headers[HEADERS.eventId]!,
    type: r.headers[HEADERS.eventType]!,
    payload: JSON.parse(r.value!.toString('utf8')) as OwnRecord['payload'],
  };
}

async function rejectionsOf(store: StateStore, own: readonly OwnRecord[]) {
  const out = new Map<string, string | undefined>();
  for (const r of own) {
    if (r.type !== 'rel.ReservationRequested' || out.has(r.eventId)) continue;
    out.set(r.eventId, await store.rejectionOf({ type: ENTITY, id: r.payload.sku }, r.eventId));
  }
  return out;
}

/** Polls until `groupId` has committed at or past `ends` on every partition (3 minutes at most). */
async function waitApplied(kafka: Kafka, groupId: string, topic: string, ends: ReadonlyMap<number, bigint>) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const at = new Map(offsets?.partitions.map((x) => [x.partition, BigInt(x.offset)]));
      if ([...ends].every(([p, end]) => end === 0n || (at.get(p) ?? -1n) >= end)) return true;
      await sleep(500);
    }
    return false;
  } finally {
    await admin.disconnect();
  }
}
