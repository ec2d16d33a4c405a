import { isLtyError } from '../errors/lty-error';
import type { RecordPosition } from '../store/position';
import { ATTR } from './attributes';
import { consumerTelemetry, type ConsumerTelemetry } from './consumer-telemetry';
import { otel, otelLoaded } from './otel-api';
import { traceSend } from './producer-spans';
import { tracingOn } from './spans';
import { meteringOn, serviceMetrics, type MetricSources, type ServiceMetrics } from './service-metrics';

/** A service's traces and metrics: on when the application registered OpenTelemetry providers, else no-ops. */
export interface ServiceTelemetry {
  /** What the partition workers feed (see `WorkerDeps.telemetry`). */
  readonly consumer: ConsumerTelemetry;
  /** Creates the instruments on the meter provider registered by now (none: metrics stay off). Idempotent. */
  start(): Promise<void>;
  /** Detaches this service's observable metrics: a stopped service reports nothing more. */
  stop(): void;
  /** Runs a `send()` in its PRODUCER span, timed; refused commands are counted. */
  send<R extends { eventIds: readonly string[]; positions: readonly RecordPosition[] }>(
    command: string,
    fn: () => Promise<R>,
  ): Promise<R>;
}

export interface ServiceTelemetryOptions extends Omit<MetricSources, 'inHand' | 'relayBacklog'> {
  readonly topic: string;
  /** Announcements in a relay under way (handed to the relay, not yet marked relayed). @defaultValue always 0 */
  readonly relayBacklog?: () => number;
}

const REFUSALS = new Set(['LTY_COMMAND_VALIDATION', 'LTY_COMMAND_REJECTED', 'LTY_IDEMPOTENCY_CONFLICT']);

export function serviceTelemetry(options: ServiceTelemetryOptions): ServiceTelemetry {
  const consumer = consumerTelemetry();
  let metrics: ServiceMetrics | undefined;
  const service = { [ATTR.service]: options.service };
  return {
    consumer,
    async start() {
      await otelLoaded();
      const api = otel();
      // No meter provider registered: the API's meter records nothing, and leaving its instruments out keeps
      // `send()` and the consumer on their no-telemetry paths.
      if (!api || metrics || !meteringOn(api)) return;
      metrics = serviceMetrics(api, {
        ...options,
        inHand: consumer.inHand,
        relayBacklog: options.relayBacklog ?? (() => 0),
      });
      consumer.use(metrics.applyLatency);
    },
    stop() {
      metrics?.close();
      metrics = undefined;
      consumer.use(undefined);
    },
    send(command, fn) {
      // The common case, no provider registered: no span, no timer, no extra promise per command.
      const api = otel();
      if (!metrics && (!api || !tracingOn(api))) return fn();
      return observedSend(command, fn);
    },
  };

  async function observedSend<
    R extends { eventIds: readonly string[]; positions: readonly RecordPosition[] },
  >(command: string, fn: () => Promise<R>): Promise<R> {
    const started = performance.now();
    const attributes = { ...service, [ATTR.command]: command };
    try {
      const receipt = await traceSend(options.service, options.topic, command, fn);
      metrics?.sendDuration.record((performance.now() - started) / 1000, attributes);
      return receipt;
    } catch (err) {
      const code = isLtyError(err) ? err.code : 'error';
      metrics?.sendDuration.record((performance.now() - started) / 1000, {
        ...attributes,
        [ATTR.errorType]: code,
      });
      if (REFUSALS.has(code)) metrics?.rejected.add(1, { ...attributes, [ATTR.errorType]: code });
      throw err;
    }
  }
}
