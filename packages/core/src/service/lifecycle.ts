import { ConfigError, ServiceStateError } from '../errors/errors';
import type { commandPathTracker } from './command-path';
import type { GroupSupervisor } from './group-supervisor';
import type { Lifecycle } from './lifecycle-state';
import { prepareCodec } from './prepare-codec';
import type { ResolvedService } from './resolve-options';
import type { Sender } from './sending';
import { stopWithin } from './stop-within';
import { createSubscribers, type Subscribers } from './subscribers';
import { subscribersOptions, type SubscriberParts } from './subscribers-options';

/** `start()` and `stop()` of one service, and the consumer groups it runs meanwhile. */
export interface ServiceLifecycle {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The groups of the current run (none before start, or with `subscribe: false`). */
  groups(): readonly GroupSupervisor[];
}

export function serviceLifecycle(
  deps: {
    readonly service: ResolvedService;
    readonly lifecycle: Lifecycle;
    readonly commandPath: ReturnType<typeof commandPathTracker>;
    readonly sender: Sender;
  } & SubscriberParts,
): ServiceLifecycle {
  const { service: s, lifecycle, commandPath, tails } = deps;
  const { name, topic, transport, store, logger, settings } = s;
  let starting: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  let subscribers: Subscribers | undefined;
  const signalHandler = () => void stop();

  async function run(): Promise<void> {
    lifecycle.set('starting');
    commandPath.set('starting');
    await transport.connect();
    await deps.telemetry.start();
    if (store) await store.init();
    // Only topics this service owns: a topic it subscribes to is its publisher's to create.
    if (settings.ensureTopics) await transport.ensureTopics(s.plan.owned);
    const partitionCount = await transport.partitionCount(topic);
    if (partitionCount === 0)
      throw new ConfigError(`topic ${topic}`, ['does not exist; create it or enable ensureTopics']);
    deps.sender.open(partitionCount);
    await prepareCodec({ codec: s.codec, topic, events: s.events, handlers: s.handlers, plan: s.plan });
    // Every instance reads the DLQ, subscribing or not: token outcomes need it as much as key parking does.
    // A subscribing instance starts it as its self group joins (in the background), others here.
    if (!settings.subscribe) await tails.start({ ifDlqExists: true });
    if (settings.subscribe) {
      subscribers = createSubscribers(subscribersOptions(s, deps));
      subscribers.start();
    }
    if (settings.stopOnSignals) {
      process.once('SIGTERM', signalHandler);
      process.once('SIGINT', signalHandler);
    }
    lifecycle.set('running');
    commandPath.set('ready');
    logger.info('service started', { service: name, topic, partitions: partitionCount });
  }

  async function start(): Promise<void> {
    if (lifecycle.current === 'running') return;
    if (lifecycle.closing) {
      throw new ServiceStateError('LTY_STOPPED', `service ${name} was stopped; create a new one`);
    }
    starting ??= run().catch(async (err: unknown) => {
      starting = undefined;
      lifecycle.set('new');
      commandPath.set('failed', err);
      await subscribers?.stop();
      subscribers = undefined;
      await tails.stop();
      await transport.disconnect().catch(() => undefined);
      throw err;
    });
    return starting;
  }

  async function stop(): Promise<void> {
    if (lifecycle.current === 'new') {
      lifecycle.set('stopped');
      commandPath.set('stopped');
      return;
    }
    stopping ??= (async () => {
      if (starting) await starting.catch(() => undefined);
      lifecycle.set('stopping');
      commandPath.set('stopping');
      process.removeListener('SIGTERM', signalHandler);
      process.removeListener('SIGINT', signalHandler);
      const drained = await stopWithin(settings.stopTimeoutMs, async () => {
        await deps.sender.settled();
        await subscribers?.stop();
        await tails.stop();
      });
      if (!drained)
        logger.warn('stop: not drained in time, disconnecting', { stopTimeoutMs: settings.stopTimeoutMs });
      await transport.disconnect();
      deps.telemetry.stop();
      lifecycle.set('stopped');
      commandPath.set('stopped');
      logger.info('service stopped', { service: name });
    })();
    return stopping;
  }

  return { start, stop, groups: () => subscribers?.groups ?? [] };
}
