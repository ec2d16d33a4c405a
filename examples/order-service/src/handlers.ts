import { onOwnEvent } from '@listen-to-yourself/core';
import { creditHandler } from './credit';
import { OrderCancelled, OrderCreated, OrderRefused, OrderRejected, type Order } from './domain';

// #region handlers
/** The self-subscriber's reducers: each event changes the order once, in the order the events were produced. */
export const orderHandlers = [
  onOwnEvent(
    OrderCreated,
    (order: Order | undefined, e): Order =>
      order ?? { ...e.payload, status: 'CONFIRMED', history: ['CONFIRMED'] },
    { entity: 'order' },
  ),
  onOwnEvent(
    OrderRejected,
    (order: Order | undefined, e): Order => {
      if (!order) {
        return {
          orderId: e.payload.orderId,
          items: [],
          totalCents: 0,
          status: 'REJECTED',
          history: ['REJECTED'],
        };
      }
      if (order.status === 'CANCELLED') return { ...order, note: `legacy refused: ${e.payload.reason}` };
      return {
        ...order,
        status: 'REJECTED',
        history: [...order.history, 'REJECTED'],
        note: e.payload.reason,
      };
    },
    { entity: 'order' },
  ),
  // Refused on apply by the customer's credit (credit.ts): the order will not be fulfilled.
  onOwnEvent(
    OrderRefused,
    (order: Order | undefined, e): Order =>
      order?.status === 'CANCELLED'
        ? { ...order, note: `refused: ${e.payload.reason}` }
        : {
            orderId: e.payload.orderId,
            customerId: e.payload.customerId,
            items: order?.items ?? [],
            totalCents: order?.totalCents ?? 0,
            status: 'REJECTED',
            history: [...(order?.history ?? []), 'REJECTED'],
            note: e.payload.reason,
          },
    { entity: 'order' },
  ),
  creditHandler,
  onOwnEvent(
    OrderCancelled,
    (order: Order | undefined, e): Order => {
      if (!order) {
        return {
          orderId: e.payload.orderId,
          items: [],
          totalCents: 0,
          status: 'CANCELLED',
          history: ['CANCELLED'],
        };
      }
      if (order.status !== 'CONFIRMED') return { ...order, note: `cancel ignored: order is ${order.status}` };
      return {
        ...order,
        status: 'CANCELLED',
        history: [...order.history, 'CANCELLED'],
        note: e.payload.reason,
      };
    },
    { entity: 'order' },
  ),
];
// #endregion handlers
