import { decision, type Announcement, type EntityRef } from '@listen-to-yourself/core';
import { type ApplyChange, type ApplyResult } from '@listen-to-yourself/core/store-kit';
import type { RecordPosition, StateStore } from '@listen-to-yourself/core';
import type { Counter } from './fixtures';

/** An announcement as a relay would produce it; its value names its id, so a sink can check what it got. */
export function announcement(id: string): Announcement {
  return {
    id,
    topic: 'lty-contract.announced',
    key: 'k',
    value: Buffer.from(id).toString('base64'),
    headers: { 'lty-event-id': id },
  };
}

/** Like `increment`, and announces `ids` with the new state. */
export function announcing(
  entity: EntityRef,
  eventId: string,
  position: RecordPosition,
  ids: readonly string[] = [`${eventId}/a`],
): ApplyChange<Counter> {
  return {
    entity,
    eventId,
    position,
    update: (current) =>
      decision({
        state: { count: (current?.count ?? 0) + 1, log: [...(current?.log ?? []), eventId] },
        announcements: ids.map(announcement),
      }),
  };
}

/** A change whose update refuses it with `reason`, announcing `ids`. */
export function refusing(
  entity: EntityRef,
  eventId: string,
  position: RecordPosition,
  reason: string,
  ids: readonly string[] = [`${eventId}/refused`],
): ApplyChange<Counter> {
  return {
    entity,
    eventId,
    position,
    update: () => decision<Counter>({ rejection: reason, announcements: ids.map(announcement) }),
  };
}

/** The ids a result lists as pending, in order. */
export const pendingIds = (result: ApplyResult): string[] => (result.pending ?? []).map((a) => a.id);

/**
 * What the framework's relay does, against a sink standing for Kafka: sends a result's pending announcements in
 * order, then marks them relayed. A sink that throws stops it where a crash would.
 */
export async function relay(
  store: StateStore,
  entity: EntityRef,
  result: ApplyResult,
  sink: (a: Announcement) => Promise<void>,
): Promise<void> {
  const pending = result.pending ?? [];
  for (const a of pending) await sink(a);
  await store.markRelayed(
    entity,
    pending.map((a) => a.id),
  );
}

/** A sink that records what reached it, in order (duplicates included). */
export function recordingSink(): {
  sink: (a: Announcement) => Promise<void>;
  ids: string[];
  firsts: () => string[];
} {
  const ids: string[] = [];
  return {
    ids,
    sink: async (a) => {
      // Yields first, so that concurrent relays interleave as separate producers would.
      await Promise.resolve();
      ids.push(Buffer.from(a.value, 'base64').toString());
    },
    firsts: () => [...new Set(ids)],
  };
}

/** How a case group registers a case: vitest's `it`, or `it.fails` to show that a broken store fails it. */
export type CaseFunction = (name: string, options: { timeout: number }, fn: () => Promise<void>) => void;
