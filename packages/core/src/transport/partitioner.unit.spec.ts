import { randomBytes } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { isLtyError } from '../errors/lty-error';
import { partitionForKey } from './partitioner';

/** kafkajs' default (Java-compatible) partitioner, asked for a keyed message with all partitions up. */
function kafkajsPartition(key: string | Buffer, partitionCount: number): number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitionCount }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
  }));
  return partitioner({ topic: 't', partitionMetadata, message: { key, value: null } });
}

// Every length class of murmur2's tail (0 to 3 leftover bytes), multi-byte UTF-8, and random bytes.
const keys: (string | Buffer)[] = [
  '',
  'a',
  'ab',
  'abc',
  'abcd',
  'order-42',
  'user:Zoë',
  '日本語のキー',
  '🙂🙃',
  ...Array.from({ length: 300 }, (_, i) => `key-${i}-${'x'.repeat(i % 37)}`),
  ...Array.from({ length: 100 }, (_, i) => randomBytes(i % 29)),
];
const partitionCounts = [1, 2, 3, 4, 6, 7, 8, 12, 16, 31, 32, 50, 64, 100, 128, 1000];

describe('partitionForKey', () => {
  it("equals kafkajs's DefaultPartitioner for many keys and partition counts", () => {
    const mismatches: string[] = [];
    for (const key of keys) {
      for (const n of partitionCounts) {
        const ours = partitionForKey(key, n);
        const theirs = kafkajsPartition(key, n);
        if (ours !== theirs) mismatches.push(`${String(key)} / ${n}: ${ours} != ${theirs}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("matches the Java client's murmur2 test vectors", () => {
    // Kafka's UtilsTest.testMurmur2: the signed 32-bit hashes of these strings.
    const vectors: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    const max = 0x7fffffff - 1; // a modulus larger than any positive hash keeps the hash itself
    for (const [key, hash] of vectors) expect(partitionForKey(key, max)).toBe((hash & 0x7fffffff) % max);
  });

  it('treats a string and its UTF-8 bytes alike', () => {
    for (const key of ['k', 'Zoë', '日本']) {
      expect(partitionForKey(key, 17)).toBe(partitionForKey(Buffer.from(key, 'utf8'), 17));
    }
  });
});

describe('partitionForKey of a topic without partitions', () => {
  it('throws a retriable TransportError instead of answering NaN', () => {
    let error: unknown;
    try {
      partitionForKey('k', 0);
    } catch (err) {
      error = err;
    }
    expect(isLtyError(error, 'LTY_TRANSPORT') && error.retriable).toBe(true);
  });
});
