import { decision, type Announcement } from '@listen-to-yourself/core';
import { expect, it, vi } from 'vitest';
import { postgresStateStore } from './postgres-state-store';
import { freshSchema } from './test-helpers';

const { schema, admin } = freshSchema('mark');

const announcement = (id: string): Announcement => ({ id, topic: 't', key: 'k', value: '', headers: {} });

it('marks the entities of one relay round relayed in one statement, each losing only its own ids', async () => {
  const store = postgresStateStore({ pool: admin }, { schema });
  await store.init();
  const entities = ['a', 'b', 'c'].map((id) => ({ type: 'mark', id }));
  for (const [i, entity] of entities.entries()) {
    await store.apply({
      entity,
      eventId: `e-${entity.id}`,
      position: { topic: 't', partition: 0, offset: String(i) },
      update: () =>
        decision({
          state: { n: 1 },
          announcements: [announcement(`${entity.id}1`), announcement(`${entity.id}2`)],
        }),
    });
  }
  const query = vi.spyOn(admin, 'query');
  await Promise.all([
    store.markRelayed(entities[0]!, ['a1', 'a2']),
    store.markRelayed(entities[1]!, ['b1']),
    store.markRelayed(entities[2]!, ['a2', 'unknown']),
  ]);
  expect(query.mock.calls.filter(([sql]) => String(sql).includes('jsonb_array_elements'))).toHaveLength(1);
  query.mockRestore();
  const { rows } = await admin.query<{ entity_id: string; ids: string[] }>(
    `SELECT entity_id, ARRAY(SELECT a->>'id' FROM jsonb_array_elements(outbox) a) AS ids
     FROM "${schema}".lty_entities WHERE entity_type = 'mark' ORDER BY entity_id`,
  );
  expect(rows.map((r) => [r.entity_id, r.ids])).toEqual([
    ['a', []],
    ['b', ['b2']],
    ['c', ['c1', 'c2']],
  ]);
  await store.close();
});
