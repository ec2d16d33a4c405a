import { ConfigError } from '../errors/errors';
import type { EventDefinition } from '../event/define-event';
import type { ConsumedEvent } from '../event/envelope';
import type { EntityRef } from '../store/state-store';
import {
  onOwnEvent,
  type ApplyContext,
  type OwnEventHandler,
  type RetryOptions,
} from '../subscriber/handlers';

/** A reducer of one event type: the entity's next state from its current one (`Start`) and the event. */
export type EntityReducer<S, Start, P, Tx> = (
  state: Start,
  event: ConsumedEvent<P>,
  ctx: ApplyContext<Tx>,
) => S | Promise<S>;

/**
 * An entity type declared once: its name, its state type `S` and the reducers of the events that change it.
 * Give it to `createService({ entities })`; read it typed with `service.read(Order, id)`. `Tx` is the store's
 * transaction handle its reducers see as `ctx.tx` (a Postgres store's `PoolClient`); `createService` refuses an
 * entity whose `Tx` is not the store's.
 */
export interface EntityDefinition<S, Tx = unknown, Start = S | undefined> {
  readonly kind: 'entity';
  /** The entity type, the `type` of its `EntityRef`s. */
  readonly type: string;
  /** The state of an entity no event was applied to yet, if the definition gives one. */
  readonly initial: (() => S) | undefined;
  /**
   * Type only, never set: the store transaction type the reducers accept, so that `createService` refuses an
   * entity whose reducers need another store's `ctx.tx` (an entity that ignores `tx` fits every store).
   */
  readonly acceptsTx?: (tx: Tx) => void;
  /** The own-event handlers `.on()` declared, as `onOwnEvent` makes them. */
  readonly handlers: readonly OwnEventHandler<unknown, S, Tx>[];
  /** A new entity definition with one more reducer; an event type may have one reducer per service. */
  on<P>(
    event: EventDefinition<P>,
    reduce: EntityReducer<S, Start, P, Tx>,
    options?: { retry?: RetryOptions },
  ): EntityDefinition<S, Tx, Start>;
  /** The reference of one entity of this type. */
  ref(id: string): EntityRef;
}

/** An entity type as reads see it: its name and its state type. */
export interface EntityType<S> {
  readonly kind: 'entity';
  readonly type: string;
  readonly initial: (() => S) | undefined;
}

/** What `createService` takes: an entity of any state, whose reducers see the store's `Tx`. */
export interface AnyEntity<Tx = unknown> {
  readonly kind: 'entity';
  readonly type: string;
  readonly acceptsTx?: (tx: Tx) => void;
  readonly handlers: readonly OwnEventHandler<unknown, unknown, Tx>[];
}

/** The options of {@link defineEntity}. */
export interface EntityOptions<S> {
  /** The state a reducer sees for an entity no event was applied to yet. @defaultValue undefined */
  initial?: () => S;
}

/**
 * Declares an entity type: `defineEntity<OrderState>('order').on(OrderPlaced, (s, e) => ...)`. Reducers see
 * `S | undefined` for a new entity, or `S` when `initial` is given. The low level is `onOwnEvent`.
 */
export function defineEntity<S, Tx = unknown>(type: string): EntityDefinition<S, Tx>;
export function defineEntity<S, Tx = unknown>(
  type: string,
  options: EntityOptions<S> & { initial: () => S },
): EntityDefinition<S, Tx, S>;
export function defineEntity<S, Tx = unknown>(
  type: string,
  options: EntityOptions<S> = {},
): EntityDefinition<S, Tx, S | undefined> {
  const problems: string[] = [];
  if (typeof type !== 'string' || type.length === 0) problems.push('type must be a non-empty string');
  if (options.initial !== undefined && typeof options.initial !== 'function') {
    problems.push('initial must be a function returning the state of a new entity');
  }
  if (problems.length) throw new ConfigError(`defineEntity(${String(type)})`, problems);
  return entityOf<S, Tx, S | undefined>(type, options.initial, []);
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
