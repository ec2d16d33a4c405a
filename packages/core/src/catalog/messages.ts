import { HEADERS } from '../event/headers';
import type { EventDefinition } from '../event/define-event';
import { messageOf } from '../errors/errors';
import type { ServiceDefinitions } from './definitions';
import { jsonSchemaOf, type JsonSchema } from './json-schema';

/** Kafka bindings version of every binding the catalog writes. */
export const KAFKA_BINDING_VERSION = '0.5.0';

/** A component key AsyncAPI accepts (`^[A-Za-z0-9.\-_]+$`) for any name. */
export function componentId(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

const str = (description: string): JsonSchema => ({ type: 'string', description });

/** The headers every event record carries (see event/headers.ts). */
export const eventHeadersSchema: JsonSchema = Object.freeze({
  type: 'object',
  required: [HEADERS.eventId, HEADERS.eventType, HEADERS.schemaVersion, HEADERS.service],
  properties: {
    [HEADERS.eventId]: str('Unique event id; the idempotency key of its apply'),
    [HEADERS.eventType]: str('The event type, e.g. shop.OrderCreated'),
    [HEADERS.schemaVersion]: str('The event schema version'),
    [HEADERS.service]: str('The service that produced the event'),
    [HEADERS.command]: str('The command whose events these are, if a command produced them'),
    [HEADERS.idempotencyKey]: str("The command's idempotency key, if given"),
    [HEADERS.correlationId]: str('Shared by every event a request caused'),
    [HEADERS.causationId]: str('The event whose handler produced this event'),
    [HEADERS.producedAt]: str('ISO 8601 time of the produce'),
    [HEADERS.traceparent]: str('W3C Trace Context'),
  },
});

/** An AsyncAPI message object for an event type, with its payload as the service's codec writes it. */
export function eventMessage(def: EventDefinition, service: ServiceDefinitions): Record<string, unknown> {
  return {
    name: def.type,
    title: def.type,
    summary: `Event ${def.type}, schema version ${def.version}`,
    contentType: service.codec?.describe ? 'application/octet-stream' : 'application/json',
    headers: eventHeadersSchema,
    payload: payloadOf(def, service),
    bindings: {
      kafka: {
        key: str("The entity's key: its events go to one partition and are applied in order"),
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    'x-lty-schema-version': def.version,
  };
}

function payloadOf(def: EventDefinition, service: ServiceDefinitions): unknown {
  const json = jsonSchemaOf(def.schema, 'output');
  if (!service.codec?.describe) return json;
  try {
    const described = service.codec.describe(def);
    return described ? { schemaFormat: described.schemaFormat, schema: described.schema } : json;
  } catch (err) {
    // A zod schema the Avro mapping refuses also fails the service's start; the catalog still shows its shape.
    return { ...json, 'x-lty-codec-error': messageOf(err) };
  }
}
