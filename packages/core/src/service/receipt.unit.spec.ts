import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { PreparedEvent } from '../command/prepare-command';
import { defineEvent } from '../event/define-event';
import { receiptOf } from './receipt';
import { decodeToken, encodeToken } from './token';

const Moved = defineEvent({ type: 't.Moved', schema: z.object({ id: z.string() }), key: (e) => e.id });
const events: PreparedEvent[] = ['a', 'b'].map((id, index) => ({
  id: `event-${id}`,
  index,
  key: id,
  payload: { id },
  definition: Moved,
}));
const positions = [
  { topic: 't', partition: 1, offset: '7' },
  { topic: 't', partition: 0, offset: '9007199254740993' },
];
const expected = encodeToken(
  events.map((e, i) => ({ position: positions[i]!, key: e.key, type: Moved.type, eventId: e.id })),
);

describe('receiptOf', () => {
  it("carries the events' ids, their positions and their token, which decodes to every event", () => {
    const receipt = receiptOf(events, positions);
    expect(receipt.eventIds).toEqual(['event-a', 'event-b']);
    expect(receipt.positions).toBe(positions);
    expect(receipt.token).toBe(expected);
    expect(receipt.token).toBe(receipt.token);
    expect(decodeToken(receipt.token).map((e) => e.key)).toEqual(['a', 'b']);
  });

  it('shows its token as a plain field would: to spread, keys, JSON and equality', () => {
    const receipt = receiptOf(events.slice(0, 1), positions.slice(0, 1));
    const plain = { eventIds: ['event-a'], positions: positions.slice(0, 1), token: receipt.token };
    expect(Object.keys(receipt)).toEqual(['eventIds', 'positions', 'token']);
    expect({ ...receipt }).toEqual(plain);
    expect(JSON.parse(JSON.stringify(receipt))).toEqual(plain);
    expect(receipt).toEqual(plain);
  });

  it('cannot have its token replaced', () => {
    const receipt = receiptOf(events, positions);
    expect(() => Object.assign(receipt, { token: 'forged' })).toThrow(TypeError);
    expect(receipt.token).toBe(expected);
  });
});
