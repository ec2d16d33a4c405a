import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { describe, expect, it } from 'vitest';
import { serviceConfig } from '../../scripts/services/service-config.mjs';

// The registry speaks Confluent's REST API; the client's `host` is that API's base URL (.../apis/ccompat/v7 locally).
const host = serviceConfig().schemaRegistryUrl;

const subject = `smoke-registry-${process.pid}-${Date.now()}-value`;
const v1 = {
  type: 'record',
  name: 'SmokeOrder',
  namespace: 'lty.smoke',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'quantity', type: 'int' },
  ],
};

describe('schema registry smoke', () => {
  it('registers an Avro schema once, serves it by id and round-trips the Confluent wire format', async () => {
    const registry = new SchemaRegistry({ host });
    const schema = { type: SchemaType.AVRO as const, schema: JSON.stringify(v1) };

    const { id } = await registry.register(schema, { subject });
    expect(id).toBeGreaterThan(0);
    expect((await registry.register(schema, { subject })).id).toBe(id);
    expect(await registry.getLatestSchemaId(subject)).toBe(id);

    // A fresh client has nothing cached, so this reads GET /schemas/ids/{id} from the server.
    const reader = new SchemaRegistry({ host });
    const fetched = (await reader.getSchema(id)) as { name?: string };
    expect(fetched.name).toBe('lty.smoke.SmokeOrder');

    const value = { id: 'order-1', quantity: 3 };
    const encoded = await registry.encode(id, value);
    expect(encoded[0]).toBe(0);
    expect(encoded.readUInt32BE(1)).toBe(id);
    expect(encoded.length).toBeGreaterThan(5);
    expect(await reader.decode(encoded)).toEqual(value);
  });

  it('refuses an incompatible new version under BACKWARD', async () => {
    const registry = new SchemaRegistry({ host });
    // A new required field without a default: readers on v2 cannot read data written with v1.
    const v2 = { ...v1, fields: [...v1.fields, { name: 'country', type: 'string' }] };
    await expect(
      registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v2) }, { subject }),
    ).rejects.toMatchObject({ status: 409 });

    // The same change with a default is compatible and becomes a new version with a new id.
    const v3 = { ...v1, fields: [...v1.fields, { name: 'country', type: 'string', default: 'NL' }] };
    const before = await registry.getLatestSchemaId(subject);
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(v3) },
      { subject },
    );
    expect(id).not.toBe(before);
    expect(await registry.getLatestSchemaId(subject)).toBe(id);
  });
});
