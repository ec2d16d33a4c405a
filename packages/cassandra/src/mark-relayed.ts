import type { EntityRef } from '@listen-to-yourself/core/store-kit';
import { CONSISTENCY, type ApplyContext } from './apply-change';
import { toStoreError } from './errors';
import { RELAYED_ROW, RELAYED_SLOTS } from './schema';

/**
 * `markRelayed` for one store: ONE plain write, no read and no Paxos round. It records the ids in one slot of the
 * entity's relayed row; the next apply of the entity reads that row in its SERIAL read, leaves those ids out of
 * `pending` and out of the outbox it writes back. The outbox itself is never written here, so a mark cannot
 * lose a compare-and-set to an apply, nor make one lose.
 *
 * Why this is safe: the relay marks only ids Kafka acknowledged, so every id in the row is truly produced. A mark
 * that is lost, or overwritten by another (the slots are reused in turn, and a zombie relay of the same entity
 * after a rebalance writes slots of its own count), only leaves ids pending that are in Kafka already: they are
 * sent again with the same id, which the outbox's contract allows; nothing pending is ever dropped. An apply
 * racing a mark either reads it (and compacts) or not (and the ids are sent again). The row stays small: each
 * slot holds one relay round's ids and is overwritten by a later round, without TTL (nothing expires early) and
 * without tombstones (a map entry write supersedes the entry).
 */
export function relayedMarker(
  ctx: ApplyContext,
): (entity: EntityRef, ids: readonly string[]) => Promise<void> {
  // Marks in a row of one entity go to different slots, so that up to RELAYED_SLOTS of them count when no apply
  // compacted the outbox in between (a record delivered again is a duplicate, which writes nothing).
  let next = 0;
  return async (entity, ids) => {
    if (ids.length === 0) return;
    const slot = next;
    next = (next + 1) % RELAYED_SLOTS;
    try {
      await ctx.client.execute(
        ctx.cql.markRelayed,
        [slot, JSON.stringify(ids), entity.type, entity.id, RELAYED_ROW],
        {
          prepare: true,
          consistency: CONSISTENCY[ctx.opts.consistency],
          // Writing the same entry again is harmless (at worst it overwrites a newer mark: a re-send).
          isIdempotent: true,
        },
      );
    } catch (err) {
      throw toStoreError(err, 'markRelayed');
    }
  };
}
