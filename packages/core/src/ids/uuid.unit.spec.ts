import { describe, expect, it } from 'vitest';
import { EVENT_ID_NAMESPACE, uuidV4, uuidV5, uuidV7 } from './uuid';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidV7', () => {
  it('is version 7, RFC variant, with the given millisecond time in its first 48 bits', () => {
    const id = uuidV7(0x0123_4567_89ab);
    expect(id).toMatch(UUID);
    expect(id[14]).toBe('7');
    expect(id.replaceAll('-', '').slice(0, 12)).toBe('0123456789ab');
  });

  it('gives distinct random bits across many ids, past several refills of its random pool', () => {
    const now = Date.now();
    const ids = Array.from({ length: 5000 }, () => uuidV7(now));
    expect(new Set(ids).size).toBe(ids.length);
    // Same time, so only the random bits differ: no two ids share their last 8 bytes.
    expect(new Set(ids.map((id) => id.slice(19))).size).toBe(ids.length);
  });

  it('sorts by time', () => {
    const ids = [3, 1, 2].map((t) => uuidV7(1_700_000_000_000 + t));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
  });
});

describe('uuidV5', () => {
  it('is deterministic for a name and differs between names', () => {
    expect(uuidV5('a')).toBe(uuidV5('a'));
    expect(uuidV5('a')).not.toBe(uuidV5('b'));
    expect(uuidV5('a')[14]).toBe('5');
    expect(uuidV5('a')).toMatch(UUID);
  });

  it("is RFC 9562's name-based SHA-1 UUID, in the default namespace and in another one", () => {
    // The RFC's example: "www.example.com" in the DNS namespace.
    const dns = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    expect(uuidV5('www.example.com', dns)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    // A fixed id of the default namespace: changing it would change every deterministic event id.
    expect(uuidV5('a')).toBe(uuidV5('a', EVENT_ID_NAMESPACE));
    expect(uuidV5('a', dns)).not.toBe(uuidV5('a'));
  });
});

describe('uuidV4', () => {
  it('is version 4, RFC variant, and distinct across refills of the pool it shares with v7 ids', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => (i % 2 ? uuidV4() : uuidV7()));
    for (const id of ids.filter((_, i) => i % 2)) {
      expect(id).toMatch(UUID);
      expect(id[14]).toBe('4');
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
