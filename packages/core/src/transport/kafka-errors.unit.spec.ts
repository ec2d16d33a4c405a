import { describe, expect, it } from 'vitest';
import { toTransportError } from './kafka-errors';

const kafkaError = (name: string, retriable: boolean, cause?: unknown) =>
  Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'), {
    name,
    retriable,
    cause,
  });

describe('toTransportError', () => {
  it('keeps a send that failed on a down broker retriable though kafkajs wraps it as non-retriable', () => {
    // What kafkajs 2.2.4 throws from producer.send() while the only broker is down (measured).
    const thrown = kafkaError('KafkaJSNonRetriableError', false, kafkaError('KafkaJSConnectionError', true));
    expect(toTransportError('produce', thrown).retriable).toBe(true);
  });

  it('keeps exhausted retries retriable', () => {
    const thrown = kafkaError(
      'KafkaJSNumberOfRetriesExceeded',
      false,
      kafkaError('KafkaJSRequestTimeoutError', true),
    );
    expect(toTransportError('produce', thrown).retriable).toBe(true);
  });

  it.each(['NOT_LEADER_FOR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_ENOUGH_REPLICAS'])(
    'classifies a leader failover (%s) as transient, however deep kafkajs wraps it',
    (type) => {
      const protocol = Object.assign(kafkaError('KafkaJSProtocolError', true), { type });
      const thrown = kafkaError(
        'KafkaJSNonRetriableError',
        false,
        kafkaError('KafkaJSError', false, protocol),
      );
      expect(toTransportError('produce', thrown).retriable).toBe(true);
    },
  );

  it('classifies a send to a broker that metadata still names after it died as transient', () => {
    const thrown = kafkaError('KafkaJSNonRetriableError', false, kafkaError('KafkaJSBrokerNotFound', false));
    expect(toTransportError('produce', thrown).retriable).toBe(true);
  });

  it('leaves a non-retriable protocol error non-retriable', () => {
    const protocol = Object.assign(kafkaError('KafkaJSProtocolError', false), { type: 'MESSAGE_TOO_LARGE' });
    expect(
      toTransportError('produce', kafkaError('KafkaJSNonRetriableError', false, protocol)).retriable,
    ).toBe(false);
  });

  it('leaves a non-retriable error without a healing cause non-retriable', () => {
    const thrown = kafkaError('KafkaJSNonRetriableError', false, kafkaError('KafkaJSProtocolError', false));
    expect(toTransportError('produce', thrown).retriable).toBe(false);
  });

  it('survives a cause chain that loops', () => {
    const a = kafkaError('KafkaJSNonRetriableError', false);
    a.cause = kafkaError('KafkaJSProtocolError', false, a);
    expect(toTransportError('produce', a).retriable).toBe(false);
  });
});
