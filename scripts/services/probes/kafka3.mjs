import { Kafka, logLevel } from 'kafkajs';

const EXPECTED_BROKERS = 3;

/**
 * Ready when every node of the 3-node cluster answers on its own (each one is the seed of its own admin client)
 * and each sees the same cluster with all 3 brokers registered and unfenced.
 */
export default async function probeKafka3() {
  const brokers = (process.env.KAFKA3_BROKERS ?? '127.0.0.1:19092,127.0.0.1:19192,127.0.0.1:19292')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const clusters = await Promise.all(brokers.map((broker) => describeVia(broker)));
  const ids = new Set(clusters.map((c) => c.clusterId));
  if (ids.size !== 1) throw new Error(`nodes disagree on the cluster id: ${[...ids].join(', ')}`);
  for (const [i, c] of clusters.entries()) {
    if (c.brokers.length !== EXPECTED_BROKERS) {
      throw new Error(`${brokers[i]} sees ${c.brokers.length} brokers, expected ${EXPECTED_BROKERS}`);
    }
  }
}

async function describeVia(broker) {
  const kafka = new Kafka({
    clientId: 'lty-probe',
    brokers: [broker],
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    return await admin.describeCluster();
  } finally {
    await admin.disconnect();
  }
}
