import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../errors/errors';
import { defineEvent } from '../event/define-event';
import { avroReaders } from './avro-readers';
import { Everything, everything } from './avro-test-helpers';
import { zodToAvro } from './zod-to-avro';

// The extremes of a 64-bit long, and an optional array item left undefined.
const sample = { ...everything('e1', 1), huge: -(2n ** 63n), maybeItems: ['x', undefined, 'y'] };

describe('zodToAvro', () => {
  it('maps every supported construct by the documented rules', () => {
    const schema = zodToAvro(Everything, 'shop.Everything') as unknown as {
      name: string;
      namespace: string;
      fields: { name: string; type: unknown; default?: unknown }[];
    };
    expect(schema.name).toBe('Everything');
    expect(schema.namespace).toBe('shop');
    const field = (n: string) => schema.fields.find((f) => f.name === n)!;
    expect(field('id').type).toBe('string');
    expect(field('small').type).toBe('int');
    expect(field('int32').type).toBe('int');
    expect(field('big').type).toBe('long');
    expect(field('ratio').type).toBe('double');
    expect(field('f32').type).toBe('float');
    expect(field('huge').type).toEqual({ type: 'long' });
    expect(field('at').type).toEqual({ type: 'long', logicalType: 'timestamp-millis' });
    expect(field('status').type).toEqual({
      type: 'enum',
      name: 'Everything_status',
      symbols: ['NEW', 'PAID'],
    });
    expect(field('tags').type).toEqual({ type: 'array', items: 'string' });
    expect(field('maybeItems').type).toEqual({ type: 'array', items: ['null', 'string'] });
    expect(field('attrs').type).toEqual({ type: 'map', values: 'double' });
    expect(field('note')).toEqual({ name: 'note', type: ['null', 'string'], default: null });
    expect(field('nick')).toEqual({ name: 'nick', type: ['null', 'string'], default: null });
    expect(field('currency')).toEqual({ name: 'currency', type: 'string', default: 'EUR' });
    expect(field('address').type).toMatchObject({ type: 'record', name: 'Everything_address' });
    expect(field('lines').type).toMatchObject({
      type: 'array',
      items: { type: 'record', name: 'Everything_lines_item' },
    });
  });

  it('round-trips every mapped type through Avro bytes and back through the zod schema', () => {
    const def = defineEvent({ type: 'shop.Everything', schema: Everything, key: (e) => e.id });
    const reader = avroReaders({}).of(def);
    const bytes = reader.write(sample);
    const back = Everything.parse(reader.read(bytes, undefined, 'test'));
    expect(back).toEqual(sample);
    expect(back.huge).toBe(-(2n ** 63n));
    const max = Everything.parse(
      reader.read(reader.write({ ...sample, huge: 2n ** 63n - 1n }), undefined, 't'),
    );
    expect(max.huge).toBe(2n ** 63n - 1n);
    expect(back.at).toBeInstanceOf(Date);
    expect(
      'note' in Everything.parse(reader.read(reader.write(everything('e0', 0)), undefined, 'test')),
    ).toBe(false);
  });

  it('names every path that cannot map, in one ConfigError', () => {
    const bad = z.object({
      ok: z.string(),
      blob: z.unknown(),
      nested: z.object({ choice: z.union([z.string(), z.number()]), shout: z.enum(['in-progress', 'done']) }),
      fn: z.string().transform((s) => s.length),
      'bad-name': z.string(),
    });
    const err = (() => {
      try {
        zodToAvro(bad, 'x.Bad');
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.issues.map((i) => i.split(':')[0])).toEqual([
      'blob',
      'nested.choice',
      'nested.shout',
      'fn',
      'bad-name',
    ]);
    expect(err.message).toContain('z.unknown() has no Avro equivalent');
  });

  it('refuses a payload schema that is not an object', () => {
    expect(() => zodToAvro(z.string(), 'x.Str')).toThrow(/must be a z.object\(\)/);
  });

  it('turns event types into valid Avro names', () => {
    const s = zodToAvro(z.object({ a: z.string() }), 'billing-v2:Invoice.3ds-Checked') as unknown as {
      name: string;
      namespace: string;
    };
    expect(s).toMatchObject({ namespace: 'billing_v2_Invoice', name: '_3ds_Checked' });
  });
});
