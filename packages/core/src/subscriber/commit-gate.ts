import { messageOf } from '../errors/errors';
import { nextOffset } from '../store/position';
import type { BatchControl } from '../transport/transport';
import type { WorkerDeps } from './worker-deps';

/**
 * The one place a batch's offset commits are decided. It is told which records are done, in offset order,
 * and commits the position after the last of them through `BatchControl.commit()`: every `commitEveryRecords`
 * and when the batch ends. A step that must finish before a record's offset may pass belongs here, between
 * `done()` and the commit. A failed commit is logged, not thrown: a revoked partition cannot commit, and its
 * new owner gets these records again and the store skips them as duplicates.
 */
export interface CommitGate {
  /** The record at `offset` is finished (applied, skipped, dead-lettered or parked). */
  done(offset: string): void;
  /** Commits when `commitEveryRecords` records were done since the last commit. */
  commitIfDue(): Promise<void>;
  /** Commits whatever was done since the last commit. */
  commit(): Promise<void>;
}

export function commitGate(
  deps: Pick<WorkerDeps, 'commitEveryRecords' | 'logger' | 'groupId'>,
  control: BatchControl,
): CommitGate {
  let doneUpTo: string | undefined;
  let sinceCommit = 0;
  const commit = async () => {
    if (doneUpTo === undefined || sinceCommit === 0) return;
    sinceCommit = 0;
    try {
      await control.commit(nextOffset(doneUpTo));
    } catch (err) {
      deps.logger.warn('offset commit failed', { groupId: deps.groupId, error: messageOf(err) });
    }
  };
  return {
    done(offset) {
      doneUpTo = offset;
      sinceCommit++;
    },
    commitIfDue: () => (sinceCommit >= deps.commitEveryRecords ? commit() : Promise.resolve()),
    commit,
  };
}
