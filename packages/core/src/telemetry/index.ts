// Tracing and metrics with the OpenTelemetry API (an optional peer dependency), on when the application registered
// its providers. Internal: the service and the partition workers call these small functions.
export { ATTR } from './attributes';
export type { Attributes } from './attributes';
export { traceApply, traceApplyBatch } from './apply-spans';
export { traceRecord, traceRun } from './consumer-spans';
export type { TracedDeps } from './consumer-spans';
export type { ConsumerTelemetry } from './consumer-telemetry';
export { LATENCY_BUCKETS_S, METRICS } from './metric-names';
export { traceFollowUps, traceSend } from './producer-spans';
export { serviceTelemetry } from './service-telemetry';
export type { ServiceTelemetry, ServiceTelemetryOptions } from './service-telemetry';
export { injectTraceContext, inSpan, startChildSpan } from './spans';
export type { SpanHandle } from './spans';
