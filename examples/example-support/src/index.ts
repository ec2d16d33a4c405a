// What the example services share: the state store chosen by one setting (STORE=postgres|cassandra|mongo), how a
// service starts on it and serves until SIGTERM, its HTTP probes, one table from error codes to HTTP statuses,
// and the kit of the scripted runs.
export { STORE_KINDS, storeSettingsFromEnv } from './store/settings';
export type { StoreKind, StoreSettings } from './store/settings';
export { openStore } from './store/open-store';
export type { OpenedStore } from './store/open-store';
export { dropNamespace } from './store/drop-namespace';
export { startOnStore } from './service/start-on-store';
export type { RunningService } from './service/start-on-store';
export { serveUntilSignal } from './service/serve';
export { healthRoutes } from './http/health-routes';
export { HTTP_STATUS, failure } from './http/http-errors';
export { firstHeader, readYourWrite } from './http/read-your-write';
export { demoKit } from './demo/demo-kit';
export { freePort } from './demo/free-port';
