import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceConfig } from '../../scripts/services/service-config.mjs';

describe('kafka smoke', () => {
  const kafka = new Kafka({
    clientId: 'lty-smoke',
    brokers: serviceConfig().kafkaBrokers,
    connectionTimeout: 3000,
    // The transient "coordinator is loading / not available" errors of a fresh broker are retried; keep them quiet.
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const topic = `smoke-${process.pid}-${Date.now()}`;
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;

  beforeAll(() => admin.connect());
  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('produces with an idempotent producer and consumes in a consumer group', async () => {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    expect(await admin.listTopics()).toContain(topic);

    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    const sent = [
      { key: 'k1', value: 'one' },
      { key: 'k2', value: 'two' },
      { key: 'k1', value: 'three' },
    ];
    const metadata = await producer.send({ topic, acks: -1, messages: sent });
    expect(metadata).toEqual([expect.objectContaining({ topicName: topic, partition: 0, errorCode: 0 })]);

    consumer = kafka.consumer({ groupId: `${topic}-group`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const received: { key: string; value: string; offset: string }[] = [];
    const allThere = new Promise<void>((resolve) => {
      void consumer!.run({
        eachMessage: async ({ message }) => {
          received.push({
            key: message.key?.toString() ?? '',
            value: message.value?.toString() ?? '',
            offset: message.offset,
          });
          if (received.length >= sent.length) resolve();
        },
      });
    });
    await allThere;

    expect(received.map(({ key, value }) => ({ key, value }))).toEqual(sent);
    expect(received.map((m) => m.offset)).toEqual(['0', '1', '2']);
  });
});
