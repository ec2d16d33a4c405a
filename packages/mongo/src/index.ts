// The public API of @listen-to-yourself/mongo, listed by hand: what is not here is internal.

export { mongoStateStore } from './mongo-state-store';
export type { MongoStateStore } from './mongo-state-store';
export type { MongoConnection } from './connection';
export { mongoStateStoreDefaults } from './options';
export type { MongoStateStoreOptions } from './options';
export { isTransientMongoError } from './errors';
