import { randomUUID } from 'node:crypto';
import { HEADERS } from '../../../packages/core/src/index';

/** A record written past the service, and the dead-letter reason it must get. */
export interface CorruptRecord {
  kind: string;
  reason: 'decode' | 'schema';
  message: { key: string | null; value: Buffer | null; headers: Record<string, string> };
}

const created = 'shop.OrderCreated';
const validPayload = (orderId: string) =>
  JSON.stringify({
    orderId,
    customerId: 'customer-1',
    items: [{ sku: 'SKU-PEN', quantity: 1, unitPriceCents: 1 }],
    totalCents: 1,
  });

// Each kind breaks one thing a consumer relies on. Every record has a key of its own (or none), so no good event
// is parked behind it. An unknown event type is not among them: the service ignores types it has no handler for.
const kinds: {
  kind: string;
  reason: CorruptRecord['reason'];
  make: (key: string) => CorruptRecord['message'];
}[] = [
  { kind: 'not JSON', reason: 'decode', make: (k) => rec(k, Buffer.from('{"orderId": '), created) },
  { kind: 'empty value', reason: 'decode', make: (k) => rec(k, Buffer.alloc(0), created) },
  {
    kind: 'binary',
    reason: 'decode',
    make: (k) => rec(k, Buffer.from([0, 0, 0, 0, 42, 0xff, 0xfe]), created),
  },
  { kind: 'tombstone', reason: 'decode', make: (k) => rec(k, null, created) },
  {
    kind: 'no event id',
    reason: 'decode',
    make: (k) => ({
      ...rec(k, Buffer.from(validPayload(k)), created),
      headers: { [HEADERS.eventType]: created },
    }),
  },
  {
    kind: 'no event type',
    reason: 'decode',
    make: (k) => ({
      ...rec(k, Buffer.from(validPayload(k)), created),
      headers: { [HEADERS.eventId]: randomUUID() },
    }),
  },
  {
    kind: 'no key',
    reason: 'decode',
    make: (k) => ({ ...rec(k, Buffer.from(validPayload(k)), created), key: null }),
  },
  {
    kind: 'fails the schema',
    reason: 'schema',
    make: (k) => rec(k, Buffer.from(JSON.stringify({ orderId: 'nope', items: [] })), created),
  },
  { kind: 'JSON of another shape', reason: 'schema', make: (k) => rec(k, Buffer.from('[1,2,3]'), created) },
  {
    kind: 'payload of another type',
    reason: 'schema',
    make: (k) => rec(k, Buffer.from(validPayload(k)), 'shop.OrderCancelled'),
  },
];

function rec(key: string, value: Buffer | null, type: string): CorruptRecord['message'] {
  return { key, value, headers: { [HEADERS.eventId]: randomUUID(), [HEADERS.eventType]: type } };
}

/** `n` corrupt records, cycling through the kinds above. */
export function corruptRecords(n: number): CorruptRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const k = kinds[i % kinds.length]!;
    return { kind: k.kind, reason: k.reason, message: k.make(randomUUID()) };
  });
}
