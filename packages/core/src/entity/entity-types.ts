import type { Rejection } from '../announcements/decision-context';
import type { EventDefinition } from '../event/define-event';
import type { ConsumedEvent } from '../event/envelope';
import type { EntityRef, StateStore } from '../store/state-store';
import type { ApplyContext, OwnEventHandler, RetryOptions } from '../subscriber/handlers';

/**
 * A reducer of one event type: the entity's next state from its current one (`Start`) and the event, or
 * `ctx.reject(reason, ...drafts)` to refuse the event (state unchanged).
 */
export type EntityReducer<S, Start, P, Tx> = (
  state: Start,
  event: ConsumedEvent<P>,
  ctx: ApplyContext<Tx>,
) => S | Rejection | Promise<S | Rejection>;

/**
 * An entity type declared once: its name, its state type `S` and the reducers of the events that change it.
 * Give it to `createService({ entities })`; read it typed with `service.read(Order, id)`. `Tx` is the store's
 * transaction handle its reducers see as `ctx.tx` (a Postgres store's `PoolClient`, set by
 * `defineEntity.withStore<PostgresStateStore>()`); `createService` refuses an entity whose `Tx` is not the store's.
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

/** The options of `defineEntity`. */
export interface EntityOptions<S> {
  /** The state a reducer sees for an entity no event was applied to yet. @defaultValue undefined */
  initial?: () => S;
}

/** The transaction handle of a store type: `PoolClient` for a `PostgresStateStore`, `undefined` for most. */
export type TxOf<Store> = Store extends StateStore<infer Tx> ? Tx : never;

/**
 * `defineEntity` bound to one store's transaction type, as `defineEntity.withStore<Store>()` returns it: its
 * reducers see that store's `ctx.tx` without an annotation.
 */
export interface DefineEntity<Tx> {
  <S>(type: string): EntityDefinition<S, Tx>;
  <S>(type: string, options: EntityOptions<S> & { initial: () => S }): EntityDefinition<S, Tx, S>;
}

/** The type of `defineEntity`: an entity declared once, and `withStore` for reducers that use `ctx.tx`. */
export interface DefineEntityFunction {
  /** An entity type whose reducers see `S | undefined` for a new entity; `ctx.tx` is `Tx` (by default `unknown`). */
  <S, Tx = unknown>(type: string): EntityDefinition<S, Tx>;
  /** An entity type whose reducers see `initial()` for a new entity. */
  <S, Tx = unknown>(
    type: string,
    options: EntityOptions<S> & { initial: () => S },
  ): EntityDefinition<S, Tx, S>;
  /**
   * `defineEntity` for one store type: `const entity = defineEntity.withStore<PostgresStateStore>()`, then
   * `entity<Order>('order').on(OrderPlaced, (s, e, { tx }) => ...)` sees `tx` as the store's `PoolClient`. Type
   * only: the store need not exist yet, and `createService` refuses the entity on a store of another type.
   */
  withStore<Store extends StateStore<never>>(): DefineEntity<TxOf<Store>>;
}
