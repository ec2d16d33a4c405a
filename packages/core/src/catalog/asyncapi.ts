import { ConfigError } from '../errors/errors';
import { definitionsOf, type ServiceDefinitions } from './definitions';
import { jsonSchemaOf } from './json-schema';
import { subscriptionTopics } from '../service/subscription-topics';
import { KAFKA_BINDING_VERSION, componentId, eventMessage } from './messages';

/** The options of {@link asyncApiDocument}. */
export interface AsyncApiOptions {
  /** `info.title`. @defaultValue the first service's name */
  title?: string;
  /** `info.version` of the document. @defaultValue '0.0.0' */
  version?: string;
  /** `info.description`. @defaultValue none (omitted) */
  description?: string;
}

/** An AsyncAPI 3.0 document as plain JSON. */
export type AsyncApiDocument = Record<string, unknown> & { readonly asyncapi: '3.0.0' };

interface Channel {
  address: string;
  messages: Set<string>;
  deadLettersOf?: string;
}

/**
 * The AsyncAPI 3.0 document of one or more services made by `createService` (not started; nothing is
 * connected): a channel per topic and dead-letter topic; a `send` operation for the events each service
 * produces to its topic and for its dead letters; a `receive` operation per consumer group, with its group id
 * in the Kafka binding. Commands (they reach a service by its API, not Kafka) are in `x-lty-commands`.
 */
export function asyncApiDocument(
  services: readonly object[],
  options: AsyncApiOptions = {},
): AsyncApiDocument {
  const defs = services.map((s, i) => {
    const d = definitionsOf(s);
    if (!d) throw new ConfigError('asyncApiDocument', [`services[${i}] was not made by createService`]);
    return d;
  });
  if (defs.length === 0) throw new ConfigError('asyncApiDocument', ['give at least one service']);
  const channels = new Map<string, Channel>();
  const messages: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const channelOf = (topic: string, deadLettersOf?: string): string => {
    const id = componentId(topic);
    if (!channels.has(id))
      channels.set(id, { address: topic, messages: new Set(), ...(deadLettersOf ? { deadLettersOf } : {}) });
    return id;
  };
  const operation = (id: string, body: Record<string, unknown>, channel: string, types: string[]) => {
    for (const t of types) channels.get(channel)!.messages.add(componentId(t));
    operations[componentId(id)] = {
      ...body,
      channel: { $ref: `#/channels/${channel}` },
      messages: types.map((t) => ({ $ref: `#/channels/${channel}/messages/${componentId(t)}` })),
    };
  };

  for (const d of defs) {
    const all = [...d.events, ...d.subscriptions.flatMap((s) => s.events)];
    for (const e of all) messages[componentId(e.type)] ??= eventMessage(e, d);
    const own = channelOf(d.topic);
    if (d.events.length > 0) {
      operation(
        `${d.name}.publish`,
        { action: 'send', summary: `${d.name} produces its commands' events`, 'x-lty-service': d.name },
        own,
        d.events.map((e) => e.type),
      );
    }
    for (const s of d.subscriptions) {
      const types = s.events.map((e) => e.type);
      const ch = channelOf(s.topic);
      const groupId = { type: 'string', enum: [s.group] };
      operation(
        `${s.group}.receive`,
        {
          action: 'receive',
          summary: s.self
            ? `${d.name} applies its own events to its store`
            : `${d.name} handles in ${s.group}`,
          bindings: { kafka: { groupId, bindingVersion: KAFKA_BINDING_VERSION } },
          'x-lty-service': d.name,
          'x-lty-group': s.group,
        },
        ch,
        types,
      );
      // A subscription to another service's topic dead-letters into a topic of its own service.
      const dlqTopic =
        s.topic === d.topic ? d.dlqTopicOf(s.topic) : subscriptionTopics(d.name, s.group).dlqTopic;
      const dlq = channelOf(dlqTopic, s.topic);
      operation(
        `${s.group}.dead-letters`,
        {
          action: 'send',
          summary: `Events ${s.group} could not apply, with the failure in kafka_dlt-* and lty-dlq-* headers`,
          'x-lty-service': d.name,
          'x-lty-group': s.group,
          'x-lty-dead-letters': true,
        },
        dlq,
        types,
      );
    }
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: options.title ?? defs[0]!.name,
      version: options.version ?? '0.0.0',
      ...(options.description ? { description: options.description } : {}),
    },
    defaultContentType: 'application/json',
    channels: Object.fromEntries([...channels].map(([id, c]) => [id, channelJson(c, defs)])),
    operations,
    components: { messages },
    'x-lty-services': defs.map((d) => ({ name: d.name, topic: d.topic, codec: d.codec?.name ?? 'json' })),
    'x-lty-commands': Object.fromEntries(
      defs.flatMap((d) =>
        d.commands.map((c) => [c.name, { service: d.name, input: jsonSchemaOf(c.input, 'input') }]),
      ),
    ),
  };
}

function channelJson(c: Channel, defs: readonly ServiceDefinitions[]): Record<string, unknown> {
  const partitions = defs.find((d) => d.topic === c.address)?.partitions;
  return {
    address: c.address,
    messages: Object.fromEntries([...c.messages].map((m) => [m, { $ref: `#/components/messages/${m}` }])),
    bindings: {
      kafka: {
        topic: c.address,
        ...(partitions ? { partitions } : {}),
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    ...(c.deadLettersOf ? { 'x-lty-dead-letters-of': c.deadLettersOf } : {}),
  };
}
