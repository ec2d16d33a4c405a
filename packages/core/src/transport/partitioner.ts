import { TransportError } from '../errors/errors';

/**
 * Kafka's default key partitioner (murmur2, as in the Java client and kafkajs), so our records land on the
 * partitions any other Kafka client would choose for the same key.
 */
export function partitionForKey(key: string | Buffer, partitionCount: number): number {
  // `partitionCount` is 0 for a topic that does not exist (yet): a fault that may heal, never partition NaN.
  if (!(partitionCount > 0)) {
    throw new TransportError(`no partition to send to: the topic has ${partitionCount} (not created yet?)`);
  }
  const data = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  return (murmur2(data) & 0x7fffffff) % partitionCount;
}

function murmur2(data: Buffer): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = 0x9747b28c ^ length;
  const words = length >> 2;
  for (let i = 0; i < words; i++) {
    const at = i * 4;
    let k = data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16) | (data[at + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = words * 4;
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2]! << 16;
  if (rest >= 2) h ^= data[tail + 1]! << 8;
  if (rest >= 1) {
    h ^= data[tail]!;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h;
}
