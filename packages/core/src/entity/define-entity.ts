import { ConfigError } from '../errors/errors';
import type { EventDefinition } from '../event/define-event';
import type { EntityRef, StateStore } from '../store/state-store';
import { onOwnEvent, type OwnEventHandler, type RetryOptions } from '../subscriber/handlers';
import type {
  AnyEntity,
  DefineEntity,
  DefineEntityFunction,
  EntityDefinition,
  EntityOptions,
  EntityReducer,
  TxOf,
} from './entity-types';

// The service reads these two from here; the package root lists every entity type from entity-types.ts.
export type { AnyEntity, EntityType } from './entity-types';

/**
 * Declares an entity type: `defineEntity<OrderState>('order').on(OrderPlaced, (s, e) => ...)`. Reducers see
 * `S | undefined` for a new entity, or `S` when `initial` is given. Their `ctx.tx` is `unknown`: reducers that
 * use the store's transaction come from `defineEntity.withStore<Store>()`. The low level is `onOwnEvent`.
 */
export const defineEntity: DefineEntityFunction = Object.assign(define, { withStore });

function define<S, Tx = unknown>(type: string, options: EntityOptions<S> = {}): EntityDefinition<S, Tx> {
  const problems: string[] = [];
  if (typeof type !== 'string' || type.length === 0) problems.push('type must be a non-empty string');
  if (options?.initial !== undefined && typeof options.initial !== 'function') {
    problems.push('initial must be a function returning the state of a new entity');
  }
  if (problems.length) throw new ConfigError(`defineEntity(${String(type)})`, problems);
  return entityOf<S, Tx, S | undefined>(type, options?.initial, []);
}

// One function for every store type: the store's transaction type exists in the types only.
function withStore<Store extends StateStore<never>>(): DefineEntity<TxOf<Store>> {
  return define;
}

function entityOf<S, Tx, Start>(
  type: string,
  initial: (() => S) | undefined,
  handlers: readonly OwnEventHandler<unknown, S, Tx>[],
): EntityDefinition<S, Tx, Start> {
  return Object.freeze({
    kind: 'entity' as const,
    type,
    initial,
    handlers,
    on<P>(
      event: EventDefinition<P>,
      reduce: EntityReducer<S, Start, P, Tx>,
      options: { retry?: RetryOptions } = {},
    ) {
      if (handlers.some((h) => h.definition.type === event?.type)) {
        throw new ConfigError(`defineEntity(${type})`, [`two reducers for ${event.type}`]);
      }
      const handler = onOwnEvent<P, S, Tx>(
        event,
        (state, e, ctx) => reduce((state === undefined ? initial?.() : state) as Start, e, ctx),
        { entity: type, ...options },
      );
      return entityOf<S, Tx, Start>(type, initial, [...handlers, handler]);
    },
    ref: (id: string): EntityRef => ({ type, id }),
  });
}

/** Whether a value is an entity definition (rather than an `EntityRef`). */
export function isEntityDefinition(value: unknown): value is AnyEntity {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'entity';
}
