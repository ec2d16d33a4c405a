// Prints the AsyncAPI 3.0 document of the example's two services (the fitness service and the coach). Nothing
// connects: the services are made, never started.
import { asyncApiDocument, inMemoryStateStore } from '@listen-to-yourself/core';
import { coachConfigFromEnv } from './coach/config';
import { coachService } from './coach/service';
import { configFromEnv } from './config';
import { fitnessService } from './service';

const config = configFromEnv();
// The stores play no part in the document; in-memory ones spare database clients.
const doc = asyncApiDocument(
  [fitnessService(config, inMemoryStateStore()), coachService(coachConfigFromEnv(), inMemoryStateStore())],
  {
    title: config.serviceName,
    version: '0.1.0',
    description:
      'Fitness: device uploads as events, health models applied to Postgres, Cassandra or MongoDB and announced; a coach reads the announcements.',
  },
);
process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
