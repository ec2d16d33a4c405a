import { describe, expect, it } from 'vitest';
import type { IncomingRecord } from '../transport/transport';
import { DLQ_HEADERS } from './dead-letter';
import { deadLetterIndex } from './dead-letter-index';

function dlqRecord(
  offset: number,
  key: string,
  extra: Record<string, string> = {},
  group = 'g',
): IncomingRecord {
  return {
    topic: 't.dlq',
    partition: 0,
    offset: String(offset),
    key: Buffer.from(key),
    value: Buffer.alloc(0),
    headers: { [DLQ_HEADERS.originalConsumerGroup]: group, ...extra },
    timestamp: '0',
  };
}
const released = { [DLQ_HEADERS.control]: 'released' };

describe('deadLetterIndex', () => {
  it('parks a key from its first dead letter until a released control record', () => {
    const index = deadLetterIndex({ groupId: 'g', keepRecords: true });
    index.add(dlqRecord(0, 'k'));
    index.add(dlqRecord(1, 'k'));
    expect(index.isParked('k')).toBe(true);
    expect(index.state('k')?.outstanding.map((r) => r.offset)).toEqual(['0', '1']);
    index.add(dlqRecord(2, 'k', released));
    expect(index.isParked('k')).toBe(false);
    expect(index.state('k')?.lastDeadLetter?.offset).toBe('1');
    expect(index.parkedKeys()).toEqual([]);
  });

  it('ignores other groups, keyless records, barriers and refusals', () => {
    const index = deadLetterIndex({ groupId: 'g' });
    index.add(dlqRecord(0, 'k', {}, 'other'));
    index.add(dlqRecord(1, ''));
    index.add(dlqRecord(2, 'k', { [DLQ_HEADERS.control]: 'barrier' }));
    index.add(dlqRecord(3, 'k', { [DLQ_HEADERS.control]: 'refused' }));
    expect(index.parkedKeys()).toEqual([]);
  });

  it('ignores a record older than what the key reflects (a tail reading back what the owner noted)', () => {
    const index = deadLetterIndex({ groupId: 'g' });
    index.add(dlqRecord(5, 'k', released)); // noted by the owner right after producing it
    index.add(dlqRecord(4, 'k')); // the tail reads the older dead letter afterwards
    expect(index.isParked('k')).toBe(false);
    index.add(dlqRecord(5, 'k', released));
    index.add(dlqRecord(6, 'k'));
    expect(index.isParked('k')).toBe(true);
  });
});
