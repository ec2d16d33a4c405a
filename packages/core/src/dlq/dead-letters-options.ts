import { z } from 'zod';
import type { KafkaTransportOptions } from '../transport/kafka-transport-options';
import type { Transport } from '../transport/transport';

export const deadLettersDefaults = Object.freeze({
  /** Longest a read of the dead-letter topic may take. @defaultValue 30000 */
  readTimeoutMs: 30_000,
});

/** Options of {@link deadLetters}. */
export interface DeadLettersOptions {
  /**
   * Kafka brokers and client options (a kafkajs transport this object owns). Give this or `transport`.
   * @defaultValue none: one of `kafka` and `transport` is required
   */
  kafka?: KafkaTransportOptions;
  /** A transport of yours, left open by `close()`. @defaultValue none: one of `kafka` and `transport` is required */
  transport?: Transport;
  /** The service's topic, e.g. `orders.events`. */
  topic: string;
  /** The consumer group whose dead letters these are, e.g. `orders.self`. */
  groupId: string;
  /** @defaultValue `<topic>.dlq` */
  dlqTopic?: string;
  /**
   * Where a redrive produces the dead letters again. Give it for a subscription to another service's topic (see
   * `subscriptionTopics`): the subscriber's group reads it beside the publisher's topic, which it may not write.
   * @defaultValue `topic`
   */
  redriveTopic?: string;
  /** @defaultValue 30000 */
  readTimeoutMs?: number;
}

const obj = (what: string) => z.custom<object>((v) => typeof v === 'object' && v !== null, `must be ${what}`);

export const deadLettersOptionsSchema = z
  .object({
    kafka: obj('kafka transport options').optional(),
    transport: obj('a Transport').optional(),
    topic: z.string().min(1),
    groupId: z.string().min(1),
    dlqTopic: z.string().min(1).optional(),
    redriveTopic: z.string().min(1).optional(),
    readTimeoutMs: z.number().int().positive(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (!o.kafka === !o.transport) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of kafka or transport', path: ['kafka'] });
    }
  });
