import type { ApplyChange } from '@listen-to-yourself/core/store-kit';
import type { PoolClient } from 'pg';

/** What the crash test's child applies; the test builds the same changes to apply them again afterwards. */
export interface CrashPlan {
  readonly runId: string;
  /** Number of changes. */
  readonly count: number;
  /** Change i goes to entity i % entities. */
  readonly entities: number;
  /** Every tenth change's update also inserts its event id here, through the transaction (the escape hatch). */
  readonly sideTable: string;
  /** The update of this change calls `onStall` (the child stops there and waits to be killed). */
  readonly stallAt?: number;
}

/** A counter and the index of the last change applied to it (to check that a prefix was applied, in order). */
export interface CrashState {
  readonly count: number;
  readonly last: number;
}

/** The entity type of every crash-test change. */
export const CRASH_TYPE = 'crash';

/** The plan's changes, in order. Per entity, positions grow with the index, on the entity's own partition. */
export function crashChanges(
  plan: CrashPlan,
  onStall?: () => Promise<void>,
): ApplyChange<CrashState, PoolClient>[] {
  return Array.from({ length: plan.count }, (_, i) => {
    const entity = i % plan.entities;
    const eventId = `${plan.runId}-${i}`;
    return {
      entity: { type: CRASH_TYPE, id: `${plan.runId}-${entity}` },
      eventId,
      position: { topic: `crash-${plan.runId}`, partition: entity % 8, offset: String(i) },
      update: async (current, tx) => {
        if (i % 10 === 0) await tx.query(`INSERT INTO ${plan.sideTable} (event_id) VALUES ($1)`, [eventId]);
        if (i === plan.stallAt) await onStall?.();
        return { count: (current?.count ?? 0) + 1, last: i };
      },
    };
  });
}
