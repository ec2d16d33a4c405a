// Prints the fitness tracker's AsyncAPI 3.0 document to stdout. Nothing connects: the service is never started.
import { asyncApiDocument, inMemoryStateStore } from '@listen-to-yourself/core';
import { configFromEnv, fitnessService } from './service';

const config = configFromEnv();
// The store plays no part in the document; an in-memory one spares a Cassandra client.
const doc = asyncApiDocument([fitnessService(config, inMemoryStateStore())], {
  title: config.serviceName,
  version: '0.1.0',
  description: 'Fitness tracker: device syncs and workouts as events, profiles applied to Cassandra.',
});
process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
