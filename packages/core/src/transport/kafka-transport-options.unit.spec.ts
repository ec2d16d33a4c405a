import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { kafkaTransportOptionsSchema, KafkaTransportOptions } from './kafka-transport-options';

describe('KafkaTransportOptions', () => {
  it('is the schema’s input, written out so each field carries its default', () => {
    type FromSchema = { brokers: string[] } & Partial<
      Omit<z.input<typeof kafkaTransportOptionsSchema>, 'brokers'>
    >;
    expectTypeOf<Required<KafkaTransportOptions>>().toEqualTypeOf<Required<FromSchema>>();
  });
});
