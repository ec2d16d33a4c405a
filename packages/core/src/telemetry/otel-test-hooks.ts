import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Service } from '../service/create-service';
import { testSdk } from './otel-test-sdk';

/**
 * The test SDK for one test file: registered before its first test and shut down after its last. Services
 * started through `started` are stopped after each test, whatever its outcome.
 */
export function otelTestHooks() {
  let sdk: ReturnType<typeof testSdk> | undefined;
  const running: Service[] = [];
  beforeAll(() => void (sdk = testSdk()));
  afterEach(async () => void (await Promise.allSettled(running.splice(0).map((s) => s.stop()))));
  afterAll(async () => sdk?.shutdown());
  return {
    get sdk(): ReturnType<typeof testSdk> {
      if (!sdk) throw new Error('the test SDK is registered in beforeAll: read it inside a test');
      return sdk;
    },
    started: async (s: Service): Promise<Service> => {
      running.push(s);
      await s.start();
      return s;
    },
  };
}
