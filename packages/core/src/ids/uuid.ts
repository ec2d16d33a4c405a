import { createHash, randomFillSync } from 'node:crypto';

/** Namespace for deterministic event ids (a fixed random UUID; changing it changes every derived id). */
export const EVENT_ID_NAMESPACE = '6f1c7a52-9a0e-4b7e-9d55-3c1f2f8f4b21';

const HEX_DIGITS = Array.from({ length: 16 }, (_, i) => i.toString(16).charCodeAt(0));
const DASH = 0x2d;
// Ids are written as ASCII into this and read out as one flat string: a string built by 20 concatenations is a
// chain of 20 pieces, each an allocation, flattened again when first hashed or compared.
const text = Buffer.alloc(36);

/** The 16 bytes from `at` in the 8-4-4-4-12 form. */
function format(bytes: Uint8Array, at = 0): string {
  let o = 0;
  for (let i = 0; i < 16; i++) {
    const b = bytes[at + i]!;
    text[o++] = HEX_DIGITS[b >> 4]!;
    text[o++] = HEX_DIGITS[b & 15]!;
    if (i === 3 || i === 5 || i === 7 || i === 9) text[o++] = DASH;
  }
  return text.toString('latin1', 0, 36);
}

let namespaceBytes: { readonly text: string; readonly bytes: Buffer } | undefined;

/** RFC 9562 UUID version 5 (SHA-1 of namespace + name): the same name always gives the same id. */
export function uuidV5(name: string, namespace: string = EVENT_ID_NAMESPACE): string {
  if (namespaceBytes?.text !== namespace) {
    namespaceBytes = { text: namespace, bytes: Buffer.from(namespace.replace(/-/g, ''), 'hex') };
  }
  const hash = createHash('sha1').update(namespaceBytes.bytes).update(name, 'utf8').digest();
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

/** The offset of 16 random bytes of the pool that no other id has used. */
function take(): number {
  if (next === POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  return 16 * next++;
}

/** RFC 9562 UUID version 7: time-ordered (milliseconds) with 74 random bits. */
export function uuidV7(now: number = Date.now()): string {
  const at = take();
  pool.writeUIntBE(now, at, 6);
  pool[at + 6] = (pool[at + 6]! & 0x0f) | 0x70;
  pool[at + 8] = (pool[at + 8]! & 0x3f) | 0x80;
  return format(pool, at);
}

/** RFC 9562 UUID version 4 (122 random bits), as `crypto.randomUUID()` makes, from the same pool as v7 ids. */
export function uuidV4(): string {
  const at = take();
  pool[at + 6] = (pool[at + 6]! & 0x0f) | 0x40;
  pool[at + 8] = (pool[at + 8]! & 0x3f) | 0x80;
  return format(pool, at);
}
