import { TransientError, messageOf } from '../errors/errors';
import { HEADERS } from '../event/headers';
import type { Logger } from '../service/logger';
import type { StateStore } from '../store/state-store';
import type { SubscriberCounters } from '../subscriber/counters';
import { partitionForKey } from '../transport/partitioner';
import type { OutgoingRecord, Transport } from '../transport/transport';
import type { PendingOf } from './announcer';

/**
 * Produces every pending announcement, in the order given (per entity, the order decided), with the idempotent
 * producer, then removes them from their entities' outboxes. A crash or failure anywhere leaves them pending, so
 * the next delivery of the record (the offset is not committed past it before this returns) relays them again
 * with the same ids. Any failure is thrown as a TransientError: an announcement is retried, never given up.
 */
export async function relayAnnouncements(
  deps: {
    readonly transport: Transport;
    readonly store: StateStore;
    readonly counters: SubscriberCounters;
    readonly logger: Logger;
  },
  entities: readonly PendingOf[],
): Promise<void> {
  const todo = entities.filter((e) => e.pending.length > 0);
  if (todo.length === 0) return;
  const { counters } = deps;
  const started = Date.now();
  const count = todo.reduce((n, e) => n + e.pending.length, 0);
  counters.relayPending += count;
  try {
    const counts = new Map<string, number>();
    const records: OutgoingRecord[] = [];
    for (const { pending } of todo) {
      for (const a of pending) {
        let count = counts.get(a.topic);
        if (count === undefined) counts.set(a.topic, (count = await deps.transport.partitionCount(a.topic)));
        const partition = partitionForKey(a.key, count);
        records.push({
          topic: a.topic,
          partition,
          key: a.key,
          value: Buffer.from(a.value, 'base64'),
          headers: a.headers,
        });
      }
    }
    await deps.transport.produce(records);
    const acked = Date.now();
    const producedMs = acked - started;
    for (const r of records) {
      const decidedAt = Date.parse(r.headers[HEADERS.producedAt] ?? '');
      if (Number.isNaN(decidedAt)) continue;
      counters.relayAgeMsTotal += acked - decidedAt;
      counters.relayAgeMsMax = Math.max(counters.relayAgeMsMax, acked - decidedAt);
    }
    await Promise.all(
      todo.map((e) =>
        deps.store.markRelayed(
          e.entity,
          e.pending.map((a) => a.id),
        ),
      ),
    );
    const totalMs = Date.now() - started;
    counters.relays++;
    counters.relayed += records.length;
    counters.relayProduceMsTotal += producedMs;
    counters.relayMsTotal += totalMs;
    counters.relayMsMax = Math.max(counters.relayMsMax, totalMs);
  } catch (err) {
    counters.relayFailures++;
    deps.logger.warn('relaying announcements failed, will retry', { error: messageOf(err) });
    throw err instanceof TransientError
      ? err
      : new TransientError(`relay: ${messageOf(err)}`, { cause: err });
  } finally {
    counters.relayPending -= count;
  }
}
