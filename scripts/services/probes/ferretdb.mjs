import { MongoClient } from 'mongodb';

/**
 * Ready when FerretDB answers a ping AND a write that reaches its PostgreSQL backend. FerretDB listens and
 * answers `ping` while its backend is down, and even listCollections, listDatabases, or a find on a missing
 * collection are served from its in-memory catalogue; an upsert of one document in `lty_probe.probe` must
 * reach PostgreSQL (measured: it fails within milliseconds when the backend is stopped).
 */
export default async function probeFerretdb(cfg) {
  const client = new MongoClient(cfg.mongoUrl, {
    serverSelectionTimeoutMS: 3000,
    connectTimeoutMS: 3000,
    socketTimeoutMS: 5000,
  });
  try {
    await client.connect();
    await client.db('admin').admin().ping();
    await client
      .db('lty_probe')
      .collection('probe')
      .updateOne({ _id: 'probe' }, { $set: { at: new Date() } }, { upsert: true });
  } finally {
    await client.close();
  }
}
