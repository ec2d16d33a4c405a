import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceConfig } from '../../scripts/services/service-config.mjs';

// Runs against FerretDB locally (`pnpm services up ferretdb`) or any MongoDB-wire server named by MONGO_URL.
describe('mongo smoke', () => {
  const client = new MongoClient(serviceConfig().mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  const db = client.db(`smoke_${process.pid}_${Date.now()}`);
  beforeAll(() => client.connect());
  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('writes and reads a document, and rejects a duplicate unique key with 11000', async () => {
    const items = db.collection<{ _id: string; key: string; n: number }>('items');
    await items.insertOne({ _id: 'a', key: 'k1', n: 41 });
    expect(await items.findOne({ _id: 'a' })).toEqual({ _id: 'a', key: 'k1', n: 41 });

    await items.createIndex({ key: 1 }, { unique: true, name: 'key_unique' });
    const err = await items.insertOne({ _id: 'b', key: 'k1', n: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect((err as MongoServerError).code).toBe(11000);
    expect(await items.countDocuments()).toBe(1);
  });
});
