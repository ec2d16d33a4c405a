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
