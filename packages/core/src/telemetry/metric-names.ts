/** Every metric the framework records: name, unit (UCUM, as OpenTelemetry takes it) and meaning. */
export const METRICS = Object.freeze({
  lag: {
    name: 'lty.consumer.lag',
    unit: '{record}',
    description: 'Records not yet committed by the group, per partition this instance owns',
  },
  timeLag: {
    name: 'lty.consumer.time_lag',
    unit: 's',
    description: 'Age of the record the partition worker has in hand (0 when it has none)',
  },
  applyLatency: {
    name: 'lty.apply.latency',
    unit: 's',
    description: "Time from an own event's record timestamp (its send) to its apply in the store",
  },
  sendDuration: {
    name: 'lty.send.duration',
    unit: 's',
    description: 'Duration of send(): validation, conversion and the acknowledged produce',
  },
  inFlightSends: {
    name: 'lty.send.in_flight',
    unit: '{command}',
    description: 'Sends started and not yet settled',
  },
  applied: { name: 'lty.events.applied', unit: '{event}', description: 'Own events applied to the store' },
  duplicates: {
    name: 'lty.events.duplicates',
    unit: '{event}',
    description: 'Own events recognised as already applied',
  },
  retries: {
    name: 'lty.events.retries',
    unit: '{attempt}',
    description: 'Failed attempts that will be tried again',
  },
  deadLettered: {
    name: 'lty.events.dead_lettered',
    unit: '{event}',
    description: 'Records sent to the dead-letter topic after failing',
  },
  parked: {
    name: 'lty.events.parked',
    unit: '{event}',
    description: 'Records parked behind an earlier dead letter of their key',
  },
  eventsRejected: {
    name: 'lty.events.rejected',
    unit: '{event}',
    description: 'Own events their reducer refused (ctx.reject): state unchanged, the refusal stored',
  },
  relayed: {
    name: 'lty.relay.announcements',
    unit: '{announcement}',
    description: 'Announcements the relay produced to Kafka (one sent again after a crash counts again)',
  },
  relayFailures: {
    name: 'lty.relay.failures',
    unit: '{round}',
    description: 'Relay rounds that failed and are retried',
  },
  rejected: {
    name: 'lty.commands.rejected',
    unit: '{command}',
    description: 'Commands refused at send: invalid input, a business refusal or a reused idempotency key',
  },
  relayBacklog: {
    name: 'lty.relay.backlog',
    unit: '{announcement}',
    description: 'Announcements stored and not yet relayed to Kafka',
  },
});

/** Bucket bounds in seconds for the latency histograms: 1 ms to 1 min. */
export const LATENCY_BUCKETS_S = Object.freeze([
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
]);
