import { randomBytes } from 'node:crypto';
import { TransientError, decide } from '@listen-to-yourself/core';
import { reached } from '@listen-to-yourself/core/store-kit';
import type { Announcement } from '@listen-to-yourself/core';
import type { ApplyChange, ApplyResult, EntityRef } from '@listen-to-yourself/core/store-kit';
import { isDuplicateKey, isTransientMongoError, toStoreError } from './errors';
import { pruneAfterWrite } from './prune';
import { decodeIds, decodeOutbox, nextIds, revisionId, toPosition, type RevisionDoc } from './revision';
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
  const pending = new Map<string, ApplyResult<S>>();
  for (let attempt = 1; attempt <= ctx.opts.maxAttempts; attempt++) {
    if (attempt > 1) await contentionPause(attempt);
    const latest = await readLatest(ctx, entity);
    const remembered = decodeIds(latest);
    const ours = remembered.find((x) => x.e === eventId && pending.has(x.w));
    const won = ours && pending.get(ours.w);
    if (won) return won;
    const outbox = decodeOutbox(latest);
    if (latest && reached(latest.p, position)) {
      return withPending({ status: 'duplicate', version: latest.v, reason: 'position' }, outbox);
    }

    const now = Date.now();
    // 72 random bits: enough to tell this write from the others of the same entity.
    const w = randomBytes(9).toString('base64url');
    const r = (latest?.r ?? 0) + 1;
    const base = { _id: revisionId(entity, r), t: entity.type, i: entity.id, r, p: toPosition(position), w };
    const common = { ...base, pw: latest?.w ?? null, at: new Date(now) };
    if (latest && remembered.some((x) => x.e === eventId && now - x.at <= ctx.opts.dedupWindowMs)) {
      const advance = { ...common, v: latest.v, s: latest.s, ids: latest.ids, ...outboxField(outbox) };
      if ((await insertRevision(ctx, advance)) === 'current') {
        return withPending({ status: 'duplicate', version: latest.v, reason: 'event-id' }, outbox);
      }
      continue;
    }

    const current = latest && latest.v > 0 ? (latest.s as S) : undefined;
    const decided = await decide(change, current, undefined);
    const rejected = decided.kind === 'rejected';
    // A refusal keeps the state and version; its revision still carries the position, the id and the outbox.
    const version = (latest?.v ?? 0) + (rejected ? 0 : 1);
    const state = rejected ? (latest?.s ?? null) : decided.state;
    const { dedupWindowMs, maxRememberedEventIds } = ctx.opts;
    const id = rejected ? { e: eventId, at: now, w, x: decided.rejection } : { e: eventId, at: now, w };
    const ids = nextIds(remembered, id, now, dedupWindowMs, maxRememberedEventIds);
    const next = [...outbox, ...decided.announcements];
    const result: ApplyResult<S> = withPending(
      rejected
        ? { status: 'rejected', version, rejection: decided.rejection }
        : { status: 'applied', version, state: decided.state },
      next,
    );
    pending.set(w, result);
    if (
      (await insertRevision(ctx, { ...common, v: version, s: state, ids, ...outboxField(next) })) ===
      'current'
    ) {
      return result;
    }
  }
  throw new TransientError(
    `mongo: ${ctx.opts.maxAttempts} compare-and-set rounds on ${entity.type}/${entity.id} lost to other writers`,
  );
}

/**
 * Removes relayed announcements from the outbox by inserting the next revision without them (same state,
 * version, position and ids): the same compare-and-set as an apply, so what an apply appended meanwhile stays.
 */
export async function markRelayed(
  ctx: StoreContext,
  entity: EntityRef,
  ids: readonly string[],
): Promise<void> {
  for (let attempt = 1; attempt <= ctx.opts.maxAttempts; attempt++) {
    if (attempt > 1) await contentionPause(attempt);
    const latest = await readLatest(ctx, entity);
    const outbox = decodeOutbox(latest);
    if (!latest || !outbox.some((a) => ids.includes(a.id))) return;
    const w = randomBytes(9).toString('base64url');
    const r = latest.r + 1;
    const { v, s, p, ids: remembered } = latest;
    const left = outbox.filter((a) => !ids.includes(a.id));
    const doc = { _id: revisionId(entity, r), t: entity.type, i: entity.id, r, v, s, p, ids: remembered, w };
    const full: RevisionDoc = { ...doc, pw: latest.w, at: new Date(), ...outboxField(left) };
    if ((await insertRevision(ctx, full)) === 'current') return;
  }
  throw new TransientError(
    `mongo: ${ctx.opts.maxAttempts} rounds marking ${entity.type}/${entity.id}'s announcements relayed lost to other writers`,
  );
}

function outboxField(outbox: readonly Announcement[]): { o?: string } {
  return outbox.length > 0 ? { o: JSON.stringify(outbox) } : {};
}

function withPending<S>(result: ApplyResult<S>, outbox: readonly Announcement[]): ApplyResult<S> {
  return outbox.length > 0 ? { ...result, pending: [...outbox] } : result;
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
