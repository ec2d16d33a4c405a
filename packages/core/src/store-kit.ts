// @listen-to-yourself/core/store-kit: what an author of a state store adapter needs, listed by hand.

export type { ApplyChange, ApplyResult, EntityRef, StateStore, StoredEntity } from './store/state-store';
export type { RecordPosition } from './store/position';
export { compareOffsets, nextOffset, reached } from './store/position';
// Per-entity batch application, and options parsing that fails like core's own.
export { runPerEntity } from './store/run-per-entity';
export { parseOptions } from './service/parse-options';
export { classifyFailure } from './retry/classify';
export type { FailureKind } from './retry/classify';
