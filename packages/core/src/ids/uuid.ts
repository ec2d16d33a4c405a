import { createHash, randomFillSync } from 'node:crypto';

/** Namespace for deterministic event ids (a fixed random UUID; changing it changes every derived id). */
export const EVENT_ID_NAMESPACE = '6f1c7a52-9a0e-4b7e-9d55-3c1f2f8f4b21';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The 16 bytes from `at` in the 8-4-4-4-12 form, without a copy or a hex string to cut up. */
function format(bytes: Uint8Array, at = 0): string {
  let out = '';
  for (let i = 0; i < 16; i++) {
    out += HEX[bytes[at + i]!]!;
    if (i === 3 || i === 5 || i === 7 || i === 9) out += '-';
  }
  return out;
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
// own work. Each id takes its own 16 bytes of the pool (overwriting the time and version bits in place), so no
// two ids share random bits.
const POOL_IDS = 256;
const pool = Buffer.alloc(16 * POOL_IDS);
let next = POOL_IDS;

/** RFC 9562 UUID version 7: time-ordered (milliseconds) with 74 random bits. */
export function uuidV7(now: number = Date.now()): string {
  if (next === POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const at = 16 * next++;
  pool.writeUIntBE(now, at, 6);
  pool[at + 6] = (pool[at + 6]! & 0x0f) | 0x70;
  pool[at + 8] = (pool[at + 8]! & 0x3f) | 0x80;
  return format(pool, at);
}
