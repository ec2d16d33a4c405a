import { describe, expect, it } from 'vitest';
import { uuidV5 } from '../../../packages/core/src/index';
import { REFUSAL_REASON } from './stock-domain';
import {
  verifyDecisions,
  type AnnouncementRecord,
  type DecisionRun,
  type OwnRecord,
} from './verify-decisions';

// The checker of the decisions scenario must fail on each way a run can go wrong; a run built by hand here is
// right, and each case breaks one thing in it.
const service = 'svc';
const idOf = (cause: string) => uuidV5(`${service}\u0000announce\u0000${cause}\u00000`);
const own: OwnRecord[] = [
  { partition: 0, offset: '0', eventId: 'e0', type: 'rel.Stocked', payload: { sku: 'a', quantity: 3 } },
  reserve('1', 'e1', 'r1', 2),
  reserve('2', 'e2', 'r2', 2),
  reserve('3', 'e3', 'r3', 1),
];
function reserve(offset: string, eventId: string, reservationId: string, quantity: number): OwnRecord {
  return {
    partition: 0,
    offset,
    eventId,
    type: 'rel.ReservationRequested',
    payload: { sku: 'a', reservationId, quantity },
  };
}
const announcements: AnnouncementRecord[] = [
  announced('0', 'e1', 'rel.ReservationAccepted', { sku: 'a', reservationId: 'r1', quantity: 2, left: 1 }),
  announced('1', 'e2', 'rel.ReservationRefused', {
    sku: 'a',
    reservationId: 'r2',
    quantity: 2,
    available: 1,
    reason: REFUSAL_REASON,
  }),
  announced('2', 'e3', 'rel.ReservationAccepted', { sku: 'a', reservationId: 'r3', quantity: 1, left: 0 }),
];
function announced(offset: string, cause: string, type: string, payload: unknown): AnnouncementRecord {
  return { partition: 1, offset, id: idOf(cause), causationId: cause, type, payload };
}
const good: DecisionRun = {
  service,
  own,
  announcements,
  stocks: new Map([['a', { available: 0, reservations: 2, units: 3 }]]),
  rejections: new Map([['e2', REFUSAL_REASON]]),
  acked: ['e1', 'e2', 'e3'],
};
const zero = { lost: 0, doubled: 0, outOfOrder: 0, mismatched: 0, stateMismatch: 0 };

describe('verifyDecisions', () => {
  it('passes a right run and counts its decisions', () => {
    expect(verifyDecisions(good)).toMatchObject({
      ...zero,
      reservations: 3,
      accepted: 2,
      refused: 1,
      distinctIds: 3,
      resent: 0,
    });
  });

  it('counts an announcement sent again with its id as a re-send, nothing else', () => {
    const again = { ...announcements[0]!, offset: '3' };
    const f = verifyDecisions({ ...good, announcements: [...announcements, again] });
    expect(f).toMatchObject({ ...zero, resent: 1, distinctIds: 3, announcementRecords: 4 });
  });

  it('fails a run missing one announcement', () => {
    expect(verifyDecisions({ ...good, announcements: announcements.slice(0, 2) }).lost).toBe(1);
  });

  it('fails a run announcing one decision under a second id', () => {
    const second = { ...announcements[1]!, offset: '3', id: 'another-id' };
    expect(verifyDecisions({ ...good, announcements: [...announcements, second] }).doubled).toBe(1);
  });

  it("fails a run whose item's announcements are out of order", () => {
    const swapped = [
      { ...announcements[0]!, offset: '1' },
      { ...announcements[1]!, offset: '0' },
      announcements[2]!,
    ];
    expect(verifyDecisions({ ...good, announcements: swapped }).outOfOrder).toBe(1);
  });

  it('fails a run that announced the opposite decision', () => {
    const wrong = [...announcements];
    wrong[1] = { ...wrong[1]!, type: 'rel.ReservationAccepted' };
    expect(verifyDecisions({ ...good, announcements: wrong }).mismatched).toBe(1);
  });

  it('fails a run whose store disagrees: a negative stock, a missing refusal', () => {
    const negative = new Map([['a', { available: -1, reservations: 3, units: 4 }]]);
    expect(verifyDecisions({ ...good, stocks: negative }).stateMismatch).toBe(1);
    expect(verifyDecisions({ ...good, rejections: new Map() }).mismatched).toBe(1);
  });

  it('fails a run whose acked command is not in the topic', () => {
    expect(verifyDecisions({ ...good, acked: [...good.acked, 'e9'] }).lost).toBe(1);
  });
});
