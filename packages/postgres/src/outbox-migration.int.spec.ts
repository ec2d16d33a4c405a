import { decision } from '@listen-to-yourself/core';
import { afterAll, expect, it } from 'vitest';
import { migrations } from './migrations';
import { postgresStateStore } from './postgres-state-store';
import { tableNames } from './tables';
import { freshSchema } from './test-helpers';

const { schema, admin } = freshSchema('outbox_migration');
const store = postgresStateStore({ pool: admin }, { schema, dedupCleanupIntervalMs: 0 });
afterAll(() => store.close());

it('tables of the first release gain the outbox and refusal columns; their rows keep working', async () => {
  // The schema as the first release left it, with an entity already applied.
  const t = tableNames(schema, 'lty_');
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.query(`CREATE TABLE ${t.migrations} (version integer PRIMARY KEY, name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now())`);
  await admin.query(migrations[0]!.sql(t, 'lty_'));
  await admin.query(`INSERT INTO ${t.migrations} (version, name) VALUES (1, 'first')`);
  await admin.query(
    `INSERT INTO ${t.entities} (entity_type, entity_id, state, version, position_topic, position_partition,
       position_offset) VALUES ('stock', 's1', '{"n":1}', 1, 'old', 0, 7)`,
  );
  await admin.query(
    `INSERT INTO ${t.appliedEvents} (entity_type, entity_id, event_id) VALUES ('stock', 's1', 'e1')`,
  );

  await store.init();
  const entity = { type: 'stock', id: 's1' };
  expect(await store.rejectionOf(entity, 'e1')).toBeUndefined();
  const refused = await store.apply({
    entity,
    eventId: 'e2',
    position: { topic: 'old', partition: 0, offset: '8' },
    update: () => decision<{ n: number }>({ rejection: 'no' }),
  });
  expect(refused).toMatchObject({ status: 'rejected', version: 1, rejection: 'no' });
  expect(await store.rejectionOf(entity, 'e2')).toBe('no');
  expect(await store.get(entity)).toMatchObject({ state: { n: 1 }, version: 1 });
});
