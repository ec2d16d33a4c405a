import { Kafka, logLevel } from 'kafkajs';

/** Ready when the admin client gets real answers: cluster metadata (with a controller) and the topic list. */
export default async function probeKafka(cfg) {
  const kafka = new Kafka({
    clientId: 'lty-probe',
    brokers: cfg.kafkaBrokers,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('no brokers in the cluster metadata');
    if (cluster.controller == null || cluster.controller < 0) throw new Error('no active controller yet');
    await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}
