// The public API of @listen-to-yourself/transport-confluent, listed by hand: what is not here is internal.

export { confluentTransport } from './confluent-transport';
export { confluentTransportDefaults } from './confluent-transport-options';
export type { ConfluentTransportOptions } from './confluent-transport-options';
export type { ConfluentLibrary } from './confluent-client';
