// Apply path into Cassandra: the self-subscriber (cassandraStateStore) against hand-written cassandra-driver
// code doing the same per event: a SERIAL read of the state row + dedup marker, then one conditional (LWT) batch
// on the entity partition (state IF NOT EXISTS / IF version = ? AND position = ?, marker IF NOT EXISTS USING TTL),
// entities of a run in parallel (8, the store's batchConcurrency), events of one entity in order.
// Run: node --conditions=@listen-to-yourself/source --import tsx benchmarks/apply/cassandra.ts [events, default 3000]
import { randomUUID } from 'node:crypto';
import cassandra from 'cassandra-driver';
import { serviceConfig } from '../../scripts/services/service-config.mjs';
import { cassandraStateStore } from '../../packages/cassandra/src/index';
import * as c from './common';
import { compareBatches, frameworkRate, rawRate } from './compare';

const N = Number(process.argv[2] ?? 3000);
const ENTITIES = 300;
const BATCHES = [1, 10, 100, 500];
const PARALLEL = 8;
const TTL = 7 * 24 * 60 * 60;
const keyspace = c.unique('ks');
const topic = c.unique('topic');
const cfg = serviceConfig();
const client = new cassandra.Client({
  contactPoints: cfg.cassandraContactPoints,
  localDataCenter: cfg.cassandraLocalDataCenter,
  socketOptions: { readTimeout: 60_000 }, // DROP KEYSPACE on a loaded node can take longer than the default
});
const store = cassandraStateStore({ client }, { keyspace });
const t = `${keyspace}.entity_state`;
const { serial: SERIAL, quorum: QUORUM } = cassandra.types.consistencies;

const Q = {
  read: `SELECT row, state, version, pos_partition, pos_offset FROM ${t}
    WHERE entity_type = ? AND entity_id = ? AND row IN (?, ?)`,
  insert: `INSERT INTO ${t} (entity_type, entity_id, row, state, version, pos_topic, pos_partition, pos_offset)
    VALUES (?, ?, '', ?, ?, ?, ?, ?) IF NOT EXISTS`,
  update: `UPDATE ${t} SET state = ?, version = ?, pos_topic = ?, pos_partition = ?, pos_offset = ?
    WHERE entity_type = ? AND entity_id = ? AND row = '' IF version = ? AND pos_topic = ? AND pos_partition = ? AND pos_offset = ?`,
  advance: `UPDATE ${t} SET pos_topic = ?, pos_partition = ?, pos_offset = ?
    WHERE entity_type = ? AND entity_id = ? AND row = '' IF version = ? AND pos_topic = ? AND pos_partition = ? AND pos_offset = ?`,
  marker: `INSERT INTO ${t} (entity_type, entity_id, row, version, writer) VALUES (?, ?, ?, ?, ?) IF NOT EXISTS USING TTL ?`,
};
const long = (v: string | number) => cassandra.types.Long.fromString(String(v));

async function rawOne(type: string, r: c.RawRecord): Promise<void> {
  const marker = `e:${r.eventId}`;
  const rs = await client.execute(Q.read, [type, r.key, '', marker], { prepare: true, consistency: SERIAL });
  const state = rs.rows.find((x) => x.get('row') === '');
  const seen = rs.rows.some((x) => x.get('row') === marker);
  const pos = [topic, r.partition, long(r.offset)];
  const version = state ? Number(state.get('version')) : 0;
  const cond = state
    ? [long(version), topic, state.get('pos_partition') as number, state.get('pos_offset') as unknown]
    : [];
  if (
    state &&
    state.get('pos_partition') === r.partition &&
    BigInt(String(state.get('pos_offset'))) >= BigInt(r.offset)
  )
    return;
  const opts = { prepare: true, consistency: QUORUM, serialConsistency: SERIAL };
  let batch: { query: string; params: unknown[] }[];
  if (seen && state) {
    batch = [{ query: Q.advance, params: [...pos, type, r.key, ...cond] }];
  } else {
    const current = state ? (JSON.parse(state.get('state') as string) as c.Account) : undefined;
    const json = JSON.stringify(c.reduce(current, r.payload));
    batch = [
      state
        ? { query: Q.update, params: [json, long(version + 1), ...pos, type, r.key, ...cond] }
        : { query: Q.insert, params: [type, r.key, json, long(version + 1), ...pos] },
      { query: Q.marker, params: [type, r.key, marker, long(version + 1), randomUUID(), TTL] },
    ];
  }
  const out = await client.batch(batch, opts);
  if (out.first()?.get('[applied]') !== true)
    throw new Error(`raw LWT lost on ${type}/${r.key} (single writer?)`);
}

/** A run: per entity in order, up to PARALLEL entities at a time. */
async function rawApply(type: string, records: c.RawRecord[]): Promise<void> {
  const lanes = new Map<string, c.RawRecord[]>();
  for (const r of records) lanes.set(r.key, [...(lanes.get(r.key) ?? []), r]);
  const queue = [...lanes.values()];
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) for (const r of lane) await rawOne(type, r);
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

async function main(): Promise<void> {
  await store.init();
  await c.produceEvents(topic, N, ENTITIES);
  console.log(
    `Cassandra apply: ${N} events, ${ENTITIES} entities, ${c.PARTITIONS} partitions, ${c.ROUNDS} rounds, dedup on`,
  );
  const rows = await compareBatches(
    BATCHES,
    (batch) => frameworkRate(N, topic, store, batch),
    (batch) => rawRate(N, topic, batch, rawApply),
  );
  c.printTable('Cassandra: events/s applied (framework applyBatchSize = raw run size)', rows);
  c.writeApplyResult(
    'apply-cassandra',
    'Apply into Cassandra: framework against raw cassandra-driver LWT batches',
    `${N} events, ${ENTITIES} entities, dedup on`,
    rows,
  );
}

try {
  await main();
} finally {
  await client
    .execute(`DROP KEYSPACE IF EXISTS ${keyspace}`)
    .catch((err: unknown) => console.error(`could not drop keyspace ${keyspace}: ${String(err)}`));
  await client.shutdown();
  await c.deleteTopic(topic);
}
