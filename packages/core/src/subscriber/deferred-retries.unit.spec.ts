import { describe, expect, it } from 'vitest';
import { partitionClaims } from '../transport/partition-claims';
import type { IncomingRecord } from '../transport/transport';
import { deferredRetries } from './deferred-retries';

const rec = (partition: number, offset: string): IncomingRecord => ({
  topic: 't',
  partition,
  offset,
  key: Buffer.from('k'),
  value: null,
  headers: {},
  timestamp: '0',
});
const count = { attempt: 3, handlerFailures: 2, firstFailureAt: new Date(0) };

describe('deferredRetries', () => {
  it('gives the kept count back to the same record under the same claim only', () => {
    const retries = deferredRetries();
    retries.keep(rec(0, '5'), count, 1);
    // Another partition's record, healthy or not, leaves partition 0's count alone.
    expect(retries.take(rec(1, '5'), 1).attempt).toBe(1);
    expect(retries.waiting(rec(0, '5'), 1)).toBe(true);
    expect(retries.waiting(rec(0, '5'), 2)).toBe(false);
    expect(retries.take(rec(0, '5'), 1)).toEqual(count);
    expect(retries.take(rec(0, '5'), 1).attempt).toBe(1); // taken once
  });

  it('starts over for the same record once its partition was claimed again', () => {
    const retries = deferredRetries();
    retries.keep(rec(0, '5'), count, 1);
    expect(retries.take(rec(0, '5'), 2).attempt).toBe(1);
    retries.keep(rec(0, '5'), count, undefined); // a transport that cannot tell: counts carry on
    expect(retries.take(rec(0, '5'), undefined)).toEqual(count);
  });
});

describe('partitionClaims', () => {
  it('keeps a claim through rebalances that leave the partition here, and renews it after one that did not', () => {
    const claims = partitionClaims();
    expect(claims.of('t', 0)).toBeUndefined();
    claims.assigned({ t: [0, 1] });
    const first = claims.of('t', 0);
    const other = claims.of('t', 1);
    expect(first).toBeDefined();
    expect(other).not.toBe(first);
    claims.assigned({ t: [0] }); // partition 1 went to another member
    expect(claims.of('t', 0)).toBe(first);
    expect(claims.of('t', 1)).toBeUndefined();
    claims.assigned({ t: [0, 1] }); // and came back
    expect(claims.of('t', 0)).toBe(first);
    expect(claims.of('t', 1)).not.toBe(other);
    claims.assigned({});
    claims.assigned({ t: [0] });
    expect(claims.of('t', 0)).not.toBe(first);
  });
});
