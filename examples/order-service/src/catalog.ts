// Prints the order service's AsyncAPI 3.0 document (its own service and the legacy handler) to stdout.
// Nothing connects: the services are made, never started.
import { asyncApiDocument } from '@listen-to-yourself/core';
import pg from 'pg';
import { configFromEnv } from './config';
import { legacyHandler, orderService } from './service';

const config = configFromEnv();
const pool = new pg.Pool({ connectionString: config.postgresUrl });
const doc = asyncApiDocument([orderService(config, pool), legacyHandler(config, pool)], {
  title: config.serviceName,
  version: '0.1.0',
  description: 'Orders: commands to events on Kafka, applied to Postgres; a legacy system mirrors them.',
});
process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
await pool.end();
