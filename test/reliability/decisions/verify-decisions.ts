import { isDeepStrictEqual } from 'node:util';
import { uuidV5 } from '../../../packages/core/src/index';
import { REFUSAL_REASON, type Stock } from './stock-domain';

/** A record of the service's own topic, as read back. */
export interface OwnRecord {
  readonly partition: number;
  readonly offset: string;
  readonly eventId: string;
  readonly type: string;
  readonly payload: { sku: string; quantity: number; reservationId?: string };
}

/** A record of the announcements topic, as read back. */
export interface AnnouncementRecord {
  readonly partition: number;
  readonly offset: string;
  readonly id: string;
  readonly causationId: string;
  readonly type: string;
  readonly payload: unknown;
}

export interface DecisionRun {
  readonly service: string;
  readonly own: readonly OwnRecord[];
  readonly announcements: readonly AnnouncementRecord[];
  /** Each item's stored state (undefined: not in the store). */
  readonly stocks: ReadonlyMap<string, Stock | undefined>;
  /** The refusal stored with each reservation event's dedup record (undefined: none). */
  readonly rejections: ReadonlyMap<string, string | undefined>;
  /** Event ids of the commands whose `send()` resolved. */
  readonly acked: readonly string[];
}

export interface DecisionFigures {
  /** Distinct events read from the own topic: restocks and reservations. */
  events: number;
  reservations: number;
  accepted: number;
  refused: number;
  announcementRecords: number;
  distinctIds: number;
  /** Records that repeat an id already read: the same announcement sent again after a crash. */
  resent: number;
  /** Decisions without an announcement, and acked commands missing from the topic. */
  lost: number;
  /** Announcement ids that no decision explains: a second id for one decision, or one for no decision. */
  doubled: number;
  /** An item's announcements whose first appearance is not in the order of the item's decisions. */
  outOfOrder: number;
  /** Announcements whose type or content is not the decision's, stored refusals that do not match. */
  mismatched: number;
  /** Items whose stored state is not what their events decide, or whose stock is negative. */
  stateMismatch: number;
  problems: string[];
}

type Expected = { cause: string; id: string; type: string; payload: unknown; index: number; sku: string };

/**
 * Replays the own topic per item (each event id once, in partition order: the order the service must apply
 * them in) to decide every reservation as the reducer must, then checks the store and the announcements
 * against those decisions. Pure: reads nothing itself.
 */
export function verifyDecisions(run: DecisionRun): DecisionFigures {
  const f: DecisionFigures = {
    events: 0,
    reservations: 0,
    accepted: 0,
    refused: 0,
    announcementRecords: run.announcements.length,
    distinctIds: 0,
    resent: 0,
    lost: 0,
    doubled: 0,
    outOfOrder: 0,
    mismatched: 0,
    stateMismatch: 0,
    problems: [],
  };
  const problem = (what: string) => void (f.problems.length < 20 && f.problems.push(what));
  const expected = new Map<string, Expected>();
  const items = new Map<string, Stock>();
  const seen = new Set<string>();
  const ordered = [...run.own].sort((a, b) => a.partition - b.partition || cmp(a.offset, b.offset));
  for (const r of ordered) {
    if (seen.has(r.eventId)) continue;
    seen.add(r.eventId);
    f.events++;
    const { sku, quantity } = r.payload;
    const s = items.get(sku) ?? { available: 0, reservations: 0, units: 0 };
    items.set(sku, s);
    if (r.type === 'rel.Stocked') s.available += quantity;
    if (r.type !== 'rel.ReservationRequested') continue;
    f.reservations++;
    const base = { sku, reservationId: r.payload.reservationId, quantity };
    const id = uuidV5(`${run.service}\u0000announce\u0000${r.eventId}\u00000`);
    const index = expected.size;
    if (quantity > s.available) {
      f.refused++;
      const payload = { ...base, available: s.available, reason: REFUSAL_REASON };
      expected.set(r.eventId, { cause: r.eventId, id, type: 'rel.ReservationRefused', payload, index, sku });
      if (run.rejections.get(r.eventId) !== REFUSAL_REASON) {
        f.mismatched++;
        problem(`refusal of ${r.eventId} not stored (${run.rejections.get(r.eventId)})`);
      }
    } else {
      f.accepted++;
      s.available -= quantity;
      s.reservations++;
      s.units += quantity;
      const payload = { ...base, left: s.available };
      expected.set(r.eventId, { cause: r.eventId, id, type: 'rel.ReservationAccepted', payload, index, sku });
      if (run.rejections.get(r.eventId) !== undefined) {
        f.mismatched++;
        problem(`applied reservation ${r.eventId} stored as refused`);
      }
    }
  }
  for (const id of run.acked) {
    if (!seen.has(id)) {
      f.lost++;
      problem(`acked event ${id} is not in the topic`);
    }
  }
  for (const [sku, want] of items) {
    const got = run.stocks.get(sku);
    if (!got || !isDeepStrictEqual(got, want) || got.available < 0) {
      f.stateMismatch++;
      problem(`${sku}: stored ${JSON.stringify(got)}, decided ${JSON.stringify(want)}`);
    }
  }
  checkAnnouncements(run, expected, f, problem);
  return f;
}

function checkAnnouncements(
  run: DecisionRun,
  expected: ReadonlyMap<string, Expected>,
  f: DecisionFigures,
  problem: (what: string) => void,
): void {
  const byId = new Map<string, AnnouncementRecord>();
  const lastIndex = new Map<string, number>();
  const ordered = [...run.announcements].sort((a, b) => a.partition - b.partition || cmp(a.offset, b.offset));
  for (const a of ordered) {
    const first = byId.get(a.id);
    if (first) {
      f.resent++;
      if (!isDeepStrictEqual([first.type, first.payload], [a.type, a.payload])) {
        f.mismatched++;
        problem(`announcement ${a.id} sent again with other content`);
      }
      continue;
    }
    byId.set(a.id, a);
    const want = expected.get(a.causationId);
    if (!want || want.id !== a.id) {
      f.doubled++;
      problem(`announcement ${a.id} (cause ${a.causationId}) is no decision's`);
      continue;
    }
    if (want.type !== a.type || !isDeepStrictEqual(want.payload, a.payload)) {
      f.mismatched++;
      problem(
        `announcement of ${a.causationId}: ${a.type} ${JSON.stringify(a.payload)}, decided ${want.type}`,
      );
    }
    const before = lastIndex.get(want.sku) ?? -1;
    if (want.index < before) {
      f.outOfOrder++;
      problem(`${want.sku}: announcement of decision ${want.index} after that of ${before}`);
    }
    lastIndex.set(want.sku, Math.max(before, want.index));
  }
  f.distinctIds = byId.size;
  for (const want of expected.values()) {
    if (!byId.has(want.id)) {
      f.lost++;
      problem(`decision on ${want.cause} (${want.type}) was never announced`);
    }
  }
}

const cmp = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
