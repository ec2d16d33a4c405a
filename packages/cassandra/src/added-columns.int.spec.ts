import cassandra from 'cassandra-driver';
import { decision } from '@listen-to-yourself/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serviceConfig } from '../../../scripts/services/service-config.mjs';
import { cassandraStateStore } from './index';

const cfg = serviceConfig();
const keyspace = `lty_columns_${process.pid}_${Date.now()}`;
const client = new cassandra.Client({
  contactPoints: cfg.cassandraContactPoints,
  localDataCenter: cfg.cassandraLocalDataCenter,
});

beforeAll(() => client.connect());
afterAll(async () => {
  try {
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  } finally {
    await client.shutdown();
  }
});

it('a table of the first release gains the outbox, refusal and relayed columns; its rows keep working', async () => {
  await client.execute(
    `CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
  );
  // The table as the first release created it, with one applied entity.
  await client.execute(`CREATE TABLE ${keyspace}.entity_state (entity_type text, entity_id text, row text,
    state text, version bigint, pos_topic text, pos_partition int, pos_offset bigint, writer uuid,
    PRIMARY KEY ((entity_type, entity_id), row))`);
  await client.execute(
    `INSERT INTO ${keyspace}.entity_state (entity_type, entity_id, row, state, version, pos_topic, pos_partition,
      pos_offset) VALUES ('stock', 's1', '', '{"n":1}', 1, 'old', 0, 7)`,
  );
  const stores = [0, 1, 2].map(() => cassandraStateStore({ client }, { keyspace }));
  await Promise.all(stores.map((s) => s.init()));
  const store = stores[0]!;
  const entity = { type: 'stock', id: 's1' };
  const refused = await store.apply({
    entity,
    eventId: 'e2',
    position: { topic: 'old', partition: 0, offset: '8' },
    update: () => decision<{ n: number }>({ rejection: 'no' }),
  });
  expect(refused).toMatchObject({ status: 'rejected', version: 1, rejection: 'no' });
  expect(await store.rejectionOf(entity, 'e2')).toBe('no');
  expect(await store.get(entity)).toMatchObject({ state: { n: 1 }, version: 1 });
  const announced = await store.apply({
    entity,
    eventId: 'e3',
    position: { topic: 'old', partition: 0, offset: '9' },
    update: () =>
      decision({
        state: { n: 2 },
        announcements: [{ id: 'a1', topic: 't', key: 'k', value: '', headers: {} }],
      }),
  });
  expect(announced.pending?.map((a) => a.id)).toEqual(['a1']);
  await store.markRelayed(entity, ['a1']);
  const after = await store.apply({
    entity,
    eventId: 'e4',
    position: { topic: 'old', partition: 0, offset: '10' },
    update: () => ({ n: 3 }),
  });
  expect(after).toMatchObject({ status: 'applied', version: 3 });
  expect(after.pending).toBeUndefined();
});
