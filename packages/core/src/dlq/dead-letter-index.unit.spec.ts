import { describe, expect, it } from 'vitest';
import type { IncomingRecord } from '../transport/transport';
import { HEADERS } from '../event/headers';
import { REDRIVE_HEADERS } from './control-records';
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

  it('ignores other groups, barriers and refusals; a keyless record parks nothing', () => {
    const index = deadLetterIndex({ groupId: 'g' });
    index.add(dlqRecord(0, 'k', {}, 'other'));
    index.add(dlqRecord(1, ''));
    index.add(dlqRecord(2, 'k', { [DLQ_HEADERS.control]: 'barrier' }));
    index.add(dlqRecord(3, 'k', { [DLQ_HEADERS.control]: 'refused' }));
    expect(index.parkedKeys()).toEqual([]);
    expect(index.isParked('')).toBe(false);
    expect(index.keyless()).toEqual([]); // kept only with keepRecords
  });

  it('keeps keyless dead letters apart, each settled on its own by a released record naming it', () => {
    const index = deadLetterIndex({ groupId: 'g', keepRecords: true });
    const id = (eventId: string) => ({ [HEADERS.eventId]: eventId });
    const settles = (letter: string) => ({ ...released, [REDRIVE_HEADERS.letter]: letter });
    index.add(dlqRecord(0, '', id('e1')));
    index.add(dlqRecord(1, '', id('e2')));
    index.add(dlqRecord(2, '', id('e1'))); // a second copy of e1
    index.add(dlqRecord(3, '', {})); // no event id: known by its place, dlq:0:3
    index.add(dlqRecord(4, '', {}, 'other'));
    index.add(dlqRecord(5, '', { [DLQ_HEADERS.control]: 'barrier' }));
    index.add(dlqRecord(6, '', released)); // a release naming no dead letter settles nothing
    expect(index.keyless().map((r) => r.offset)).toEqual(['0', '1', '2', '3']);
    index.add(dlqRecord(7, '', settles('e1')));
    index.add(dlqRecord(8, '', settles('dlq:0:3')));
    expect(index.keyless().map((r) => r.offset)).toEqual(['1']);
    // e1 redriven and failing again: the new dead letter lies past its settlement and is outstanding.
    index.add(dlqRecord(9, '', id('e1')));
    expect(index.keyless().map((r) => r.offset)).toEqual(['1', '9']);
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
