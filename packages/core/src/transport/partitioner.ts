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
  // An ASCII key's UTF-8 bytes are its char codes: hashed as it is, without a buffer per record.
  const data = typeof key !== 'string' || isAscii(key) ? key : Buffer.from(key, 'utf8');
  return (murmur2(data) & 0x7fffffff) % partitionCount;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Murmur2 of the bytes of `data`: a Buffer, or a string of ASCII characters (whose char codes are its UTF-8 bytes).
 * One function for both, reading through `byte()`, which the compiler inlines.
 */
function murmur2(data: Buffer | string): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = 0x9747b28c ^ length;
  const words = length >> 2;
  for (let i = 0; i < words; i++) {
    const w = i * 4;
    let k = byte(data, w) | (byte(data, w + 1) << 8) | (byte(data, w + 2) << 16) | (byte(data, w + 3) << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = words * 4;
  const rest = length & 3;
  if (rest === 3) h ^= byte(data, tail + 2) << 16;
  if (rest >= 2) h ^= byte(data, tail + 1) << 8;
  if (rest >= 1) {
    h ^= byte(data, tail);
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h;
}

function byte(data: Buffer | string, i: number): number {
  return typeof data === 'string' ? data.charCodeAt(i) : data[i]!;
}
