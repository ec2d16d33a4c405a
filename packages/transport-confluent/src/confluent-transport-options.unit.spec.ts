import { isLtyError } from '@listen-to-yourself/core';
import { describe, expectTypeOf, expect, it } from 'vitest';
import type { ConfluentLibrary } from './confluent-client';
import { confluentTransport } from './confluent-transport';
import {
  confluentTransportDefaults,
  parseConfluentOptions,
  type ConfluentOptionsFromSchema,
  type ConfluentTransportOptions,
} from './confluent-transport-options';

// A stand-in module: these cases never reach a broker, so they run without the native client.
const library = {
  KafkaJS: { Kafka: class {} },
  Producer: class {},
  KafkaConsumer: class {},
} as unknown as ConfluentLibrary;

describe('confluentTransport options', () => {
  it('fills every default', () => {
    expect(parseConfluentOptions({ brokers: ['b:9092'], library })).toMatchObject({
      ...confluentTransportDefaults,
      brokers: ['b:9092'],
    });
  });

  it('reports every problem at once as a ConfigError', () => {
    const attempt = () =>
      confluentTransport({
        brokers: [],
        library,
        sendTimeoutMs: 90_000,
        lingerMs: -1,
        partitionsConsumedConcurrently: 0,
      });
    expect(attempt).toThrow(/brokers: give at least one broker/);
    try {
      attempt();
    } catch (err) {
      expect(isLtyError(err, 'LTY_CONFIG')).toBe(true);
      expect((err as { issues: string[] }).issues.map((i) => i.split(':')[0])).toEqual([
        'brokers',
        'lingerMs',
        'partitionsConsumedConcurrently',
        'sendTimeoutMs',
      ]);
    }
    expect(() => confluentTransport({ brokers: ['b:9092'], library, sendTimeoutMs: 90_000 })).toThrow(
      /sendTimeoutMs must not exceed transactionTimeoutMs/,
    );
  });

  it('refuses unknown options and a library that is not the client module', () => {
    expect(() => confluentTransport({ brokers: ['b:9092'], library, acks: 1 } as never)).toThrow(/acks/);
    expect(() => confluentTransport({ brokers: ['b:9092'], library: {} as ConfluentLibrary })).toThrow(
      /library: expected the @confluentinc\/kafka-javascript module/,
    );
    // The plain producer and the consumer are the native ones: the KafkaJS-compatible API alone is not enough.
    const kafkaJsOnly = { KafkaJS: { Kafka: class {} } } as unknown as ConfluentLibrary;
    expect(() => confluentTransport({ brokers: ['b:9092'], library: kafkaJsOnly })).toThrow(
      /library: expected the @confluentinc\/kafka-javascript module/,
    );
    const noConsumer = { KafkaJS: { Kafka: class {} }, Producer: class {} } as unknown as ConfluentLibrary;
    expect(() => confluentTransport({ brokers: ['b:9092'], library: noConsumer })).toThrow(
      /library: expected the @confluentinc\/kafka-javascript module/,
    );
  });

  it('creates no client before connect()', () => {
    let created = 0;
    const counting = {
      KafkaJS: {
        Kafka: class {
          constructor() {
            created++;
          }
          admin() {
            throw new Error('no admin before connect');
          }
        },
      },
      Producer: class {
        constructor() {
          throw new Error('no producer before connect');
        }
      },
      KafkaConsumer: class {
        constructor() {
          throw new Error('no consumer before connect');
        }
      },
    } as unknown as ConfluentLibrary;
    const transport = confluentTransport({ brokers: ['b:9092'], library: counting });
    expect(transport.name).toBe('confluent');
    expect(created).toBe(1);
  });
});

describe('ConfluentTransportOptions', () => {
  it('is the schema’s input, written out so each field carries its default', () => {
    expectTypeOf<Required<ConfluentTransportOptions>>().toEqualTypeOf<Required<ConfluentOptionsFromSchema>>();
  });
});
