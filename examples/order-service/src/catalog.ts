// Prints the AsyncAPI 3.0 document of the example's two services (the order service and the legacy service).
// Nothing connects: the services are made, never started.
import { asyncApiDocument, inMemoryStateStore } from '@listen-to-yourself/core';
import pg from 'pg';
import { configFromEnv } from './config';
import { legacyConfigFromEnv } from './legacy/config';
import { legacyService } from './legacy/service';
import { orderService } from './service';

const config = configFromEnv();
const pool = new pg.Pool({ connectionString: legacyConfigFromEnv().postgresUrl });
const legacy = legacyService(legacyConfigFromEnv(), pool);
// The state store plays no part in the document; an in-memory one spares a database client.
const doc = asyncApiDocument([orderService(config, inMemoryStateStore()), legacy], {
  title: config.serviceName,
  version: '0.1.0',
  description:
    'Orders: commands to events on Kafka, applied to Postgres, Cassandra or MongoDB; a legacy service mirrors them and announces refusals.',
});
process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
await pool.end();
