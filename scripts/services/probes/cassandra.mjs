import cassandra from 'cassandra-driver';

/** Ready when a real CQL session answers a query against system.local. */
export default async function probeCassandra(cfg) {
  const client = new cassandra.Client({
    contactPoints: cfg.cassandraContactPoints,
    localDataCenter: cfg.cassandraLocalDataCenter,
    socketOptions: { connectTimeout: 3000, readTimeout: 5000 },
    pooling: { warmup: false },
  });
  try {
    await client.connect();
    const rs = await client.execute('SELECT release_version FROM system.local');
    if (!rs.first()?.release_version) throw new Error('system.local returned no release_version');
  } finally {
    await client.shutdown();
  }
}
