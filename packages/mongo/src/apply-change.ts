import { randomBytes } from 'node:crypto';
import { TransientError, reached } from '@listen-to-yourself/core';
import type { ApplyChange, ApplyResult } from '@listen-to-yourself/core';
import { isDuplicateKey, isTransientMongoError, toStoreError } from './errors';
import { pruneAfterWrite } from './prune';
import { decodeIds, nextIds, revisionId, toPosition, type RevisionDoc } from './revision';
import { readLatest } from './read-latest';
import type { StoreContext } from './store-context';

/**
 * Applies one change: read the latest revision, decide, insert revision r+1. The insert is the compare-and-set
 * (unique `_id`); losing it (11000) means another writer went first, so the loop reads and decides again, which
 * may call `update` again (the contract allows it). An insert whose outcome is unknown (network error) or that the
 * driver may have retried is remembered by its writer token: if a later read finds this event remembered under
 * that token, that insert won. A duplicate by event id still advances the position, by inserting a revision with
 * the same version and state, so nothing is ever updated in place (FerretDB v1 cannot update conditionally).
 */
export async function applyChange<S>(
  ctx: StoreContext,
  change: ApplyChange<S, undefined>,
): Promise<ApplyResult<S>> {
  const { entity, eventId, position } = change;
  const pending = new Map<string, { version: number; state: S }>();
  for (let attempt = 1; attempt <= ctx.opts.maxAttempts; attempt++) {
    if (attempt > 1) await contentionPause(attempt);
    const latest = await readLatest(ctx, entity);
    const remembered = decodeIds(latest);
    const ours = remembered.find((x) => x.e === eventId && pending.has(x.w));
    const won = ours && pending.get(ours.w);
    if (won) return { status: 'applied', ...won };
    if (latest && reached(latest.p, position)) {
      return { status: 'duplicate', version: latest.v, reason: 'position' };
    }

    const now = Date.now();
    // 72 random bits: enough to tell this write from the others of the same entity.
    const w = randomBytes(9).toString('base64url');
    const r = (latest?.r ?? 0) + 1;
    const base = { _id: revisionId(entity, r), t: entity.type, i: entity.id, r, p: toPosition(position), w };
    const common = { ...base, pw: latest?.w ?? null, at: new Date(now) };
    if (latest && remembered.some((x) => x.e === eventId && now - x.at <= ctx.opts.dedupWindowMs)) {
      const advance = { ...common, v: latest.v, s: latest.s, ids: latest.ids };
      if ((await insertRevision(ctx, advance)) === 'current') {
        return { status: 'duplicate', version: latest.v, reason: 'event-id' };
      }
      continue;
    }

    const state = await change.update(latest?.s as S | undefined, undefined);
    const version = (latest?.v ?? 0) + 1;
    const { dedupWindowMs, maxRememberedEventIds } = ctx.opts;
    const ids = nextIds(remembered, { e: eventId, at: now, w }, now, dedupWindowMs, maxRememberedEventIds);
    pending.set(w, { version, state });
    if ((await insertRevision(ctx, { ...common, v: version, s: state, ids })) === 'current') {
      return { status: 'applied', version, state };
    }
  }
  throw new TransientError(
    `mongo: ${ctx.opts.maxAttempts} compare-and-set rounds on ${entity.type}/${entity.id} lost to other writers`,
  );
}

/**
 * Inserts a revision and says whether it is now part of the entity's history ('current') or not ('retry': the
 * revision was taken, the outcome is unknown, or the insert landed in a gap that pruning left).
 */
async function insertRevision(ctx: StoreContext, doc: RevisionDoc): Promise<'current' | 'retry'> {
  try {
    await ctx.revisions.insertOne(doc);
  } catch (err) {
    if (isDuplicateKey(err) || isTransientMongoError(err)) return 'retry';
    throw toStoreError(err, 'insert');
  }
  if (!(await builtOnLatest(ctx, doc))) return 'retry';
  await pruneAfterWrite(ctx, doc);
  return 'current';
}

/**
 * Pruning deletes old revisions, so a writer that read revision r long ago could insert r+1 into the gap after the
 * real r+1 was pruned. Such an insert is never the latest (pruning keeps the latest, which is higher), so it is
 * found by looking above it: the insert is good if nothing is above it, or if the revision right above was built
 * on it. Otherwise the stray document is removed and the loop decides again; if this insert was good after all
 * (its successor was pruned too), the next read finds its event id under its token.
 */
async function builtOnLatest(ctx: StoreContext, doc: RevisionDoc): Promise<boolean> {
  try {
    const above = await ctx.revisions
      .find({ t: doc.t, i: doc.i, r: { $gt: doc.r } }, { projection: { r: 1, pw: 1 } })
      .sort({ r: 1 })
      .limit(1)
      .next();
    if (!above || (above.r === doc.r + 1 && above.pw === doc.w)) return true;
    await ctx.revisions.deleteOne({ _id: doc._id, w: doc.w });
    return false;
  } catch (err) {
    throw toStoreError(err, 'read');
  }
}

// A short random pause after a lost round, growing with the attempt: writers racing on one entity otherwise
// collide again and again.
function contentionPause(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(50, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
