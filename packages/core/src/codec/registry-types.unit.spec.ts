import { SchemaRegistry, type COMPATIBILITY } from '@kafkajs/confluent-schema-registry';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { TransientError } from '../errors/errors';
import { registryClient, type Compatibility, type RegistryInstance } from './registry-client';

// The published declarations name neither type of the registry client (its declarations fail a strict check), so
// the written-out types must stay what the client accepts: `pnpm typecheck` fails here when they drift.
describe('registry client types', () => {
  it('Compatibility is the client’s COMPATIBILITY, and a SchemaRegistry is a RegistryInstance', () => {
    expectTypeOf<Compatibility>().toEqualTypeOf<`${COMPATIBILITY}`>();
    expectTypeOf<SchemaRegistry>().toExtend<RegistryInstance>();
  });

  it('uses a given SchemaRegistry instance, and a { url } as the host of its own', async () => {
    const given = new SchemaRegistry({ host: 'http://127.0.0.1:1', retry: { retries: 0 } });
    const fromGiven = registryClient(given).latest('s');
    await expect(fromGiven).rejects.toThrow(TransientError);
    await expect(fromGiven).rejects.toThrow(/^the schema registry is unreachable/);
    await expect(registryClient({ url: 'http://127.0.0.1:1' }).latest('s')).rejects.toThrow(
      /^schema registry http:\/\/127\.0\.0\.1:1 is unreachable/,
    );
  });
});
