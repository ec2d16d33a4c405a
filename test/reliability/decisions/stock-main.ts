// The stock service as a process of its own, for the decisions scenario to SIGKILL and restart: it applies
// reservations (with announcements and refusals) into the store STOCK_STORE names, prints `ready` once started
// and its counters every 500 ms as `stats {json}`.
import { createService } from '../../../packages/core/src/index';
import { openStore, type StoreKind } from './stores';
import { Reserve, Restock, stockHandlers } from './stock-domain';

const env = process.env;
const name = env.STOCK_SERVICE_NAME!;
const { store } = openStore(env.STOCK_STORE as StoreKind, env.STOCK_SCHEMA!);
const service = createService({
  name,
  kafka: {
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    maxWaitTimeMs: 100,
    // A killed member's partitions move after its session: 10 s keeps each kill of the run short.
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 1000,
  },
  store: store,
  topic: { partitions: 4 },
  commands: [Restock, Reserve],
  handlers: stockHandlers(name),
});
await service.start();
console.log('ready');
setInterval(() => console.log(`stats ${JSON.stringify(service.stats())}`), 500);
const stop = async () => {
  await service.stop();
  await store.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
