import { decide, type Decided } from '@listen-to-yourself/core';
import { reached, type ApplyChange, type ApplyResult } from '@listen-to-yourself/core/store-kit';
import type { PoolClient } from 'pg';
import type { ApplyTransaction } from './apply-transaction';
import { entityKey, lockEntities, type AppliedEventId, type LockedEntity } from './lock-entities';
import type { Statements } from './statements';
import type { PostgresTables } from './tables';
import { UserCodeError } from './transaction';
import { writeEntities } from './write-entities';

/**
 * Applies `changes` in order inside the caller's transaction: locks every entity once, decides each change
 * against the row as the earlier changes left it (so several changes to one entity each see the previous one),
 * then writes all rows and event ids in one statement, sent with COMMIT. Throws what `update` throws, wrapped in `UserCodeError`.
 */
export async function applyChanges<S>(
  tx: ApplyTransaction,
  tables: PostgresTables,
  statement: Statements,
  changes: readonly ApplyChange<S, PoolClient>[],
  dedupWindowMs: number,
): Promise<ApplyResult<S>[]> {
  const rows = await lockEntities(tx, tables, statement, changes, dedupWindowMs);

  const results: ApplyResult<S>[] = [];
  const applied: AppliedEventId[] = [];
  for (const change of changes) {
    const row = rows.get(entityKey(change.entity))!;
    const result = await applyToRow(tx.client, row, change);
    if (result.status !== 'duplicate') {
      const rejection = result.status === 'rejected' ? result.rejection : null;
      applied.push({ entity: change.entity, eventId: change.eventId, rejection });
    }
    results.push(row.outbox.length > 0 ? { ...result, pending: [...row.outbox] } : result);
  }
  await tx.commit(writeEntities(tables, statement, [...rows.values()], applied));
  return results;
}

async function applyToRow<S>(
  client: PoolClient,
  row: LockedEntity,
  change: ApplyChange<S, PoolClient>,
): Promise<ApplyResult<S>> {
  if (reached(row.position, change.position)) {
    return { status: 'duplicate', version: row.version, reason: 'position' };
  }
  if (row.seen.has(change.eventId)) {
    row.position = change.position;
    row.dirty = true;
    return { status: 'duplicate', version: row.version, reason: 'event-id' };
  }
  // Parsed from the stored text every time, so that each change sees the state exactly as a later read would.
  const current = row.version === 0 ? undefined : (JSON.parse(row.stateText) as S);
  let decided: Decided<S>;
  try {
    decided = await decide(change, current, client);
  } catch (err) {
    throw new UserCodeError(err);
  }
  row.position = change.position;
  row.seen.add(change.eventId);
  row.outbox.push(...decided.announcements);
  row.dirty = true;
  if (decided.kind === 'rejected') {
    return { status: 'rejected', version: row.version, rejection: decided.rejection };
  }
  row.stateText = JSON.stringify(decided.state) ?? 'null';
  row.version += 1;
  return { status: 'applied', version: row.version, state: decided.state };
}
