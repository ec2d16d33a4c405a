import { rememberDefinitions } from '../catalog/definitions';
import { assertStorableRef } from '../command/storable-strings';
import { isEntityDefinition, type EntityType } from '../entity/define-entity';
import { dlqTail } from '../dlq/dlq-tail';
import { ConfigError } from '../errors/errors';
import { idempotencyLedger } from '../outcomes/idempotency-ledger';
import { tailHandle } from '../outcomes/tail-handle';
import { tokenOutcomes } from '../outcomes/token-outcomes';
import type { EntityRef, StateStore, StoredEntity } from '../store/state-store';
import { newCounters } from '../subscriber/counters';
import { commandPathTracker } from './command-path';
import { serviceHealth } from './health';
import { serviceLifecycle } from './lifecycle';
import { lifecycleState } from './lifecycle-state';
import { producer } from './produce';
import { resolveService } from './resolve-options';
import { commandSender } from './sending';
import type { ServiceOptions } from './service-options';
import type { EntityReader, Service } from './service-types';
import { serviceTelemetry } from '../telemetry/index';

export type { Receipt, SendOptions, Service } from './service-types';

/** Wires commands, handlers, transport, store and codec into a service. See `ServiceOptions`. */
export function createService<Tx = unknown>(options: ServiceOptions<Tx>): Service {
  const resolved = resolveService(options);
  const { name, topic, groupId, transport, store, settings } = resolved;
  const dlq = resolved.dlqTopic(topic);
  const counters = newCounters();
  const lifecycle = lifecycleState();
  const commandPath = commandPathTracker();
  const read = entityReader(store);
  const ledger = store ? idempotencyLedger({ store, service: name }) : undefined;
  const tails = tailHandle({
    enabled: resolved.routes.byType.size > 0,
    make: () => dlqTail({ transport, dlqTopic: dlq, groupId, logger: resolved.logger }),
    // A transport may throw for an unknown topic; a failed look counts as absent and is looked at again later.
    dlqExists: async () => (await transport.partitionCount(dlq).catch(() => 0)) > 0,
  });
  const waits = tokenOutcomes({
    store,
    transport,
    groupId,
    topic,
    entityOfType: resolved.routes.entityOfType,
    ledger,
    tail: () => tails.get(),
  });
  const telemetry = serviceTelemetry({
    service: name,
    topic,
    counters,
    inFlightSends: () => sender.inFlight.size,
    relayBacklog: () => counters.relayPending,
    groups: () => run.groups().map((g) => g.snapshot()),
    transport,
    lagTimeoutMs: settings.healthTimeoutMs,
  });
  const sender = commandSender({
    service: resolved,
    lifecycle,
    ledger,
    read,
    produce: producer(transport),
    telemetry,
  });
  const run = serviceLifecycle({
    telemetry,
    service: resolved,
    lifecycle,
    commandPath,
    sender,
    tails,
    ledger,
    counters,
    onApplied: waits.onApplied,
  });

  const service: Service = {
    name,
    topic,
    start: () => run.start(),
    send: (command, input, sendOptions) => sender.send(command, input, sendOptions),
    sendUntrusted: (command, input, sendOptions) => sender.sendUntrusted(command, input, sendOptions),
    waitForApplied: (token, o = {}) => waits.waitForApplied(token, o.timeoutMs ?? settings.waitTimeoutMs),
    outcome: (token, o = {}) => waits.outcome(token, o.timeoutMs ?? settings.waitTimeoutMs),
    read,
    stats: () => ({ ...counters, inFlightSends: sender.inFlight.size }),
    health: () =>
      serviceHealth({
        commandPath: commandPath.current(),
        groups: run.groups(),
        transport,
        lagTimeoutMs: settings.healthTimeoutMs,
      }),
    stop: () => run.stop(),
  };
  return rememberDefinitions(service, { ...options, handlers: resolved.handlers } as ServiceOptions, {
    topic,
    groupId,
    dlqTopicOf: resolved.dlqTopic,
  });
}

/** Reads entities from the service's store, refusing at once a reference no store can hold. */
function entityReader(store: StateStore | undefined): EntityReader {
  return async <S>(entity: EntityRef | EntityType<S>, id?: string): Promise<StoredEntity<S> | undefined> => {
    if (!store) throw new ConfigError('read', ['this service has no store']);
    const ref = isEntityDefinition(entity) ? { type: entity.type, id: id! } : (entity as EntityRef);
    assertStorableRef(ref);
    return store.get<S>(ref);
  };
}
