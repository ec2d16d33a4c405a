import { ConfigError } from '../errors/errors';
import type { AnyHandler } from '../subscriber/handlers';

/** The service's `onOwnEvent` handlers by event type, and the entity type each event applies to. */
export interface OwnRoutes {
  readonly byType: ReadonlyMap<string, AnyHandler>;
  /** The entity type of an own event's type (for token outcomes). */
  readonly entityOfType: ReadonlyMap<string, string>;
  /** The entity type a handler writes: its `entity`, else the service's name. */
  readonly entityType: (handler: AnyHandler) => string;
}

/** Routes own events to their one handler; two handlers for one event type are a ConfigError. */
export function ownRoutesOf(service: string, handlers: readonly AnyHandler[]): OwnRoutes {
  const byType = new Map<string, AnyHandler>();
  for (const h of handlers) {
    if (h.kind !== 'own') continue;
    if (byType.has(h.definition.type)) {
      throw new ConfigError('createService handlers', [`two onOwnEvent handlers for ${h.definition.type}`]);
    }
    byType.set(h.definition.type, h);
  }
  const entityType = (h: AnyHandler) => (h.kind === 'own' ? (h.entity ?? service) : service);
  const entityOfType = new Map([...byType].map(([t, h]) => [t, entityType(h)]));
  return { byType, entityOfType, entityType };
}
