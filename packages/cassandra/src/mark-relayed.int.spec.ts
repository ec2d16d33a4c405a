import type cassandra from 'cassandra-driver';
import { decision, type Announcement } from '@listen-to-yourself/core';
import type { ApplyChange, ApplyResult, EntityRef } from '@listen-to-yourself/core/store-kit';
import { describe, expect, it } from 'vitest';
import { cassandraStateStore, type CqlClient } from './index';
import { RELAYED_SLOTS } from './schema';
import { freshKeyspace } from './test-helpers';

const { keyspace, client } = freshKeyspace('mark');

let seq = 0;
const newEntity = (): EntityRef => ({ type: 'mark-test', id: `m${++seq}` });
const announcement = (id: string): Announcement => ({
  id,
  topic: 't.announced',
  key: 'k',
  value: '',
  headers: {},
});

/** Event `n` of an entity (at offset n), announcing `ids`. */
function announcing(entity: EntityRef, n: number, ids: readonly string[]): ApplyChange<number, undefined> {
  return {
    entity,
    eventId: `ev${n}`,
    position: { topic: 't', partition: 0, offset: String(n) },
    update: (current) => decision({ state: (current ?? 0) + 1, announcements: ids.map(announcement) }),
  };
}

const pendingIds = (r: ApplyResult) => (r.pending ?? []).map((a) => a.id);

/** The ids in the state row's stored `outbox` column, as written. */
async function storedOutbox(entity: EntityRef): Promise<string[]> {
  const rs = await client.execute(
    `SELECT outbox FROM ${keyspace}.entity_state WHERE entity_type = ? AND entity_id = ? AND row = ''`,
    [entity.type, entity.id],
    { prepare: true },
  );
  const json = rs.first()?.['outbox'] as string | null | undefined;
  return json ? (JSON.parse(json) as Announcement[]).map((a) => a.id) : [];
}

describe('cassandra: marking announcements relayed', () => {
  it('the next apply leaves marked ids out of pending and compacts them out of the stored outbox', async () => {
    const entity = newEntity();
    const store = cassandraStateStore({ client }, { keyspace });
    expect(pendingIds(await store.apply(announcing(entity, 1, ['a', 'b', 'c'])))).toEqual(['a', 'b', 'c']);
    await store.markRelayed(entity, ['b']);
    // The mark does not touch the state row: the outbox is compacted by the next write of it.
    expect(await storedOutbox(entity)).toEqual(['a', 'b', 'c']);
    // A duplicate writes nothing, yet lists only what is not relayed, in the order decided.
    expect(pendingIds(await store.apply(announcing(entity, 1, ['a', 'b', 'c'])))).toEqual(['a', 'c']);
    const next = await store.apply(announcing(entity, 2, ['d']));
    expect(next).toMatchObject({ status: 'applied', version: 2 });
    expect(pendingIds(next)).toEqual(['a', 'c', 'd']);
    expect(await storedOutbox(entity)).toEqual(['a', 'c', 'd']);
    await store.markRelayed(entity, ['a', 'c', 'd']);
    expect(pendingIds(await store.apply(announcing(entity, 3, [])))).toEqual([]);
    expect(await storedOutbox(entity)).toEqual([]);
  });

  it('a mark overwritten by another mark leads to re-sending the overwritten ids, never to losing any', async () => {
    const entity = newEntity();
    // Two instances (say, a relay that lost its partition and the new owner) write their first mark to one slot.
    const [one, two] = [0, 1].map(() => cassandraStateStore({ client }, { keyspace }));
    await one!.apply(announcing(entity, 1, ['a', 'b', 'x']));
    await one!.markRelayed(entity, ['a']);
    await two!.markRelayed(entity, ['b']);
    const next = await one!.apply(announcing(entity, 2, ['c']));
    // 'a' is in Kafka but its mark was overwritten: it comes again, same id, in its place; 'x' was never marked.
    expect(pendingIds(next)).toEqual(['a', 'x', 'c']);
    expect(await storedOutbox(entity)).toEqual(['a', 'x', 'c']);
  });

  it('an apply racing a mark: the mark it did not read still counts for the apply after it', async () => {
    const entity = newEntity();
    const store = cassandraStateStore({ client }, { keyspace });
    await store.apply(announcing(entity, 1, ['a', 'b']));
    // The mark lands between the apply's SERIAL read and its conditional batch.
    const racing: CqlClient = {
      execute: (...args: Parameters<CqlClient['execute']>) => client.execute(...args),
      batch: (async (queries: Parameters<CqlClient['batch']>[0], options: cassandra.QueryOptions) => {
        await store.markRelayed(entity, ['a', 'b']);
        return client.batch(queries, options);
      }) as CqlClient['batch'],
      shutdown: () => Promise.resolve(),
    };
    const raced = await cassandraStateStore({ client: racing }, { keyspace }).apply(
      announcing(entity, 2, ['c']),
    );
    expect(raced).toMatchObject({ status: 'applied', version: 2 });
    expect(pendingIds(raced)).toEqual(['a', 'b', 'c']);
    // The conditional batch wrote the state row only: the relayed row still names 'a' and 'b'.
    expect(pendingIds(await store.apply(announcing(entity, 3, [])))).toEqual(['c']);
    expect(await storedOutbox(entity)).toEqual(['c']);
  });

  it('markRelayed is one plain statement, and the relayed row keeps a bounded number of marks', async () => {
    const entity = newEntity();
    const calls: string[] = [];
    const counting: CqlClient = {
      execute: ((query: string, ...rest: unknown[]) => {
        calls.push(query);
        return (client.execute as (...a: unknown[]) => Promise<cassandra.types.ResultSet>)(query, ...rest);
      }) as CqlClient['execute'],
      batch: (queries: { query: string }[], ...rest: unknown[]) => {
        calls.push(...queries.map((q) => `batch: ${q.query}`));
        return (client.batch as (...a: unknown[]) => Promise<cassandra.types.ResultSet>)(queries, ...rest);
      },
      shutdown: () => Promise.resolve(),
    };
    const store = cassandraStateStore({ client: counting }, { keyspace });
    await store.apply(announcing(entity, 1, ['a']));
    calls.length = 0;
    await store.markRelayed(entity, ['a']);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/^UPDATE .* SET relayed\[\?\] = \?/);
    expect(calls[0]).not.toMatch(/\bIF\b/);
    for (let i = 0; i < 3 * RELAYED_SLOTS; i++) await store.markRelayed(entity, [`id${i}`]);
    const rs = await client.execute(
      `SELECT relayed FROM ${keyspace}.entity_state WHERE entity_type = ? AND entity_id = ? AND row = 'r'`,
      [entity.type, entity.id],
      { prepare: true },
    );
    expect(Object.keys(rs.first()?.['relayed'] as object)).toHaveLength(RELAYED_SLOTS);
  });
});
