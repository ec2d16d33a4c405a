// The events each service of the order example publishes: the one place their names, keys and schemas are
// written. A subscriber imports the definitions of what it reads; the publisher those of what it produces.
export { ORDERS_TOPIC, OrderCancelled, OrderCreated, OrderRefused, OrderRejected, orderItem } from './orders';
export { LEGACY_TOPIC, LegacyOrderRefused } from './legacy';
