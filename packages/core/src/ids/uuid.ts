import { createHash, randomFillSync } from 'node:crypto';

/** Namespace for deterministic event ids (a fixed random UUID; changing it changes every derived id). */
export const EVENT_ID_NAMESPACE = '6f1c7a52-9a0e-4b7e-9d55-3c1f2f8f4b21';

function format(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** RFC 9562 UUID version 5 (SHA-1 of namespace + name): the same name always gives the same id. */
export function uuidV5(name: string, namespace: string = EVENT_ID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return format(bytes);
}

// One call into the CSPRNG per 256 ids instead of one per id: randomBytes(16) was the largest cost of send()'s
// own work. Each id copies its bytes out, so no two ids share random bits.
const POOL_IDS = 256;
const pool = Buffer.alloc(16 * POOL_IDS);
let next = POOL_IDS;

/** RFC 9562 UUID version 7: time-ordered (milliseconds) with 74 random bits. */
export function uuidV7(now: number = Date.now()): string {
  if (next === POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const bytes = Buffer.from(pool.subarray(16 * next, 16 * ++next));
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return format(bytes);
}
