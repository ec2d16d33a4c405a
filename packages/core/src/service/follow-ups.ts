import type { Codec } from '../codec/codec';
import type { PreparedEvent } from '../command/prepare-command';
import type { EventDraft } from '../event/define-event';
import type { ConsumedEvent } from '../event/envelope';
import { uuidV5 } from '../ids/uuid';
import type { OffsetCommit, OutgoingRecord, Transport } from '../transport/transport';
import { encodeEvents } from './encode-events';
import { producer } from './produce';
import { traceFollowUps } from '../telemetry/index';

/** Produces a subscriber handler's follow-up events with the consumed offset, in one Kafka transaction. */
export type EmitFollowUps = (
  drafts: readonly EventDraft[],
  cause: ConsumedEvent,
  offset: OffsetCommit,
) => Promise<void>;

/**
 * Follow-up events go to the topic their definition names, else to the service's own topic: never to the topic
 * the cause was read from, which belongs to whoever published it. Their ids derive from the cause and the group,
 * so a handler that runs again after a crash or a redrive emits the same ids.
 */
export function followUps(deps: {
  readonly service: string;
  readonly ownTopic: string;
  readonly codec: Codec;
  readonly transport: Transport;
}): EmitFollowUps {
  const { service, codec, transport } = deps;
  const produce = producer(transport);
  return (drafts, cause, offset) => {
    const byTopic = new Map<string, PreparedEvent[]>();
    drafts.forEach((d, index) => {
      const target = d.definition.topic ?? deps.ownTopic;
      byTopic.set(target, [
        ...(byTopic.get(target) ?? []),
        {
          id: uuidV5(`${service}\u0000emit\u0000${cause.meta.eventId}\u0000${offset.groupId}\u0000${index}`),
          index,
          key: d.definition.keyOf(d.payload),
          payload: d.payload,
          definition: d.definition,
        },
      ]);
    });
    return traceFollowUps(service, [...byTopic.keys()], drafts.length, async () => {
      const records: OutgoingRecord[] = [];
      for (const [target, events] of byTopic) {
        const count = await transport.partitionCount(target);
        records.push(
          ...(await encodeEvents(codec, target, count, events, {
            service,
            correlationId: cause.meta.correlationId ?? cause.meta.eventId,
            causationId: cause.meta.eventId,
          })),
        );
      }
      await produce(records, [offset]);
    });
  };
}
