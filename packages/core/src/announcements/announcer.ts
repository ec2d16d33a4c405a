import type { Codec } from '../codec/codec';
import type { PreparedEvent } from '../command/prepare-command';
import type { ConsumedEvent } from '../event/envelope';
import { uuidV5 } from '../ids/uuid';
import { encodeEvents } from '../service/encode-events';
import type { Logger } from '../service/logger';
import { decision, type Announcement, type Decision } from '../store/decision';
import type { EntityRef, StateStore } from '../store/state-store';
import type { SubscriberCounters } from '../subscriber/counters';
import type { Transport } from '../transport/transport';
import { decisionContext, type DecisionContext, type Rejection } from './decision-context';
import { relayAnnouncements } from './relay';
import { ATTR, inSpan } from '../telemetry/index';

/** An entity and its announcements not yet relayed, as a store returned them. */
export interface PendingOf {
  readonly entity: EntityRef;
  readonly pending: readonly Announcement[];
}

/** Apply-time decisions of one service: reducers' verdicts become store decisions, stored announcements reach Kafka. */
export interface Announcer {
  /** Runs a reducer with `emit` and `reject`, and turns its verdict into what the store writes. */
  decide<S>(
    cause: ConsumedEvent,
    reduce: (ctx: DecisionContext) => S | Rejection | Promise<S | Rejection>,
  ): Promise<S | Decision<S>>;
  /** Produces the entities' pending announcements in order, then marks them relayed. Throws TransientError. */
  relay(entities: readonly PendingOf[]): Promise<void>;
}

export function announcer(deps: {
  readonly service: string;
  readonly ownTopic: string;
  readonly codec: Codec;
  readonly transport: Transport;
  readonly store: StateStore;
  readonly counters: SubscriberCounters;
  readonly logger: Logger;
}): Announcer {
  const { service, codec } = deps;
  return {
    async decide<S>(
      cause: ConsumedEvent,
      reduce: (ctx: DecisionContext) => S | Rejection | Promise<S | Rejection>,
    ): Promise<S | Decision<S>> {
      const { ctx, verdict } = decisionContext();
      const state = await reduce(ctx);
      const { drafts, rejection } = verdict();
      if (drafts.length === 0 && rejection === undefined) return state as S;
      const announcements: Announcement[] = [];
      // One encode call per target topic; the index runs over all drafts, so ids follow the order decided.
      for (const [index, d] of drafts.entries()) {
        const topic = d.definition.topic ?? deps.ownTopic;
        const event: PreparedEvent = {
          id: uuidV5(`${service}\u0000announce\u0000${cause.meta.eventId}\u0000${index}`),
          index,
          key: d.definition.keyOf(d.payload),
          payload: d.payload,
          definition: d.definition,
        };
        const [record] = await encodeEvents(codec, topic, 1, [event], {
          service,
          correlationId: cause.meta.correlationId ?? cause.meta.eventId,
          causationId: cause.meta.eventId,
        });
        const { key, value, headers } = record!;
        announcements.push({ id: event.id, topic, key, value: value.toString('base64'), headers });
      }
      return rejection === undefined
        ? decision({ state: state as S, announcements })
        : decision<S>({ rejection, announcements });
    },
    relay(entities) {
      const count = entities.reduce((n, e) => n + e.pending.length, 0);
      if (count === 0) return relayAnnouncements(deps, entities);
      // A step of the record's processing: its span sits under the record's CONSUMER span.
      const attributes = () => ({ [ATTR.batchCount]: count });
      return inSpan('lty.relay', { attributes }, () => relayAnnouncements(deps, entities));
    },
  };
}
