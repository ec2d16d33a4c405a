import { metrics } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { otel, otelLoaded } from './otel-api';
import { meteringOn } from './service-metrics';

afterEach(() => metrics.disable());

describe('meteringOn', () => {
  it('is off while no meter provider is registered, on once one is, off again once it is removed', async () => {
    await otelLoaded();
    const api = otel()!;
    expect(meteringOn(api)).toBe(false);
    metrics.setGlobalMeterProvider(new MeterProvider());
    expect(meteringOn(api)).toBe(true);
    metrics.disable();
    expect(meteringOn(api)).toBe(false);
  });
});
