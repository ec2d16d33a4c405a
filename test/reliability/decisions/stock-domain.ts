import { defineCommand, defineEvent, onOwnEvent } from '../../../packages/core/src/index';
import { z } from 'zod';

// The stock service of the decisions scenario: reservations against a stock per item, decided at apply time. A
// reservation of more than is left is refused (`ctx.reject`) and announced as ReservationRefused; an accepted one
// is announced as ReservationAccepted. Both announcements are keyed by the item, so one item's decisions share a
// partition of the announcements topic and their order there can be checked.

export const Stocked = defineEvent({
  type: 'rel.Stocked',
  schema: z.object({ sku: z.string(), quantity: z.number().int().positive() }),
  key: (e) => e.sku,
});

export const ReservationRequested = defineEvent({
  type: 'rel.ReservationRequested',
  schema: z.object({ sku: z.string(), reservationId: z.string(), quantity: z.number().int().positive() }),
  key: (e) => e.sku,
});

const decided = { sku: z.string(), reservationId: z.string(), quantity: z.number().int() };
export const acceptedSchema = z.object({ ...decided, left: z.number().int() });
export const refusedSchema = z.object({ ...decided, available: z.number().int(), reason: z.string() });

/** The topic the announcements go to: `<service>.announcements`. */
export const announcementsTopic = (service: string) => `${service}.announcements`;

export function stockEvents(service: string) {
  const topic = announcementsTopic(service);
  const ReservationAccepted = defineEvent({
    type: 'rel.ReservationAccepted',
    schema: acceptedSchema,
    key: (e) => e.sku,
    topic,
  });
  const ReservationRefused = defineEvent({
    type: 'rel.ReservationRefused',
    schema: refusedSchema,
    key: (e) => e.sku,
    topic,
  });
  return { ReservationAccepted, ReservationRefused };
}

export const REFUSAL_REASON = 'not enough stock';

/** What the store holds per item. */
export interface Stock {
  available: number;
  reservations: number;
  units: number;
}

export const Restock = defineCommand({
  name: 'Restock',
  input: Stocked.schema,
  toEvents: (c) => Stocked.of(c),
});
export const Reserve = defineCommand({
  name: 'Reserve',
  input: ReservationRequested.schema,
  toEvents: (c) => ReservationRequested.of(c),
});

export const ENTITY = 'stock';

export function stockHandlers(service: string) {
  const { ReservationAccepted, ReservationRefused } = stockEvents(service);
  return [
    onOwnEvent(
      Stocked,
      (s: Stock | undefined, e): Stock => ({
        available: (s?.available ?? 0) + e.payload.quantity,
        reservations: s?.reservations ?? 0,
        units: s?.units ?? 0,
      }),
      { entity: ENTITY },
    ),
    onOwnEvent(
      ReservationRequested,
      (s: Stock | undefined, e, ctx) => {
        const available = s?.available ?? 0;
        const { sku, reservationId, quantity } = e.payload;
        if (quantity > available) {
          return ctx.reject(
            REFUSAL_REASON,
            ReservationRefused.of({ sku, reservationId, quantity, available, reason: REFUSAL_REASON }),
          );
        }
        ctx.emit(ReservationAccepted.of({ sku, reservationId, quantity, left: available - quantity }));
        return {
          available: available - quantity,
          reservations: (s?.reservations ?? 0) + 1,
          units: (s?.units ?? 0) + quantity,
        };
      },
      { entity: ENTITY },
    ),
  ];
}
