import { describe, expect, it } from 'vitest';
import { compatibilityProblems } from './avro-compatibility';
import { compileAvro } from './avsc-runtime';

const record = (fields: object[]) =>
  compileAvro({ type: 'record', name: 'Order', namespace: 'shop', fields });
const v1 = record([
  { name: 'id', type: 'string' },
  { name: 'note', type: ['null', 'string'], default: null },
]);

describe('compatibilityProblems', () => {
  it('accepts a new optional field with a default and a removed field that had one, both ways', () => {
    const v2 = record([
      { name: 'id', type: 'string' },
      { name: 'country', type: 'string', default: 'FR' },
    ]);
    expect(compatibilityProblems('FULL', v2, v1)).toEqual([]);
  });

  it('names a field added without a default under BACKWARD', () => {
    const v2 = record([...[{ name: 'id', type: 'string' }], { name: 'country', type: 'string' }]);
    const problems = compatibilityProblems('BACKWARD', v2, v1);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^field "country" is new and has no default/);
    expect(compatibilityProblems('FORWARD', v2, v1)).toEqual([]);
  });

  it('names a removed field without a default under FORWARD, and a changed type in a nested record', () => {
    const nested = (zip: string) =>
      record([
        { name: 'id', type: 'string' },
        { name: 'address', type: { type: 'record', name: 'Address', fields: [{ name: 'zip', type: zip }] } },
      ]);
    expect(
      compatibilityProblems('FORWARD', record([{ name: 'note', type: 'string', default: '' }]), v1)[0],
    ).toMatch(/^field "id" was removed but has no default/);
    expect(compatibilityProblems('BACKWARD', nested('int'), nested('string'))[0]).toMatch(
      /^field "address.zip": .*cannot read/,
    );
    expect(compatibilityProblems('NONE', nested('int'), nested('string'))).toEqual([]);
  });
});
