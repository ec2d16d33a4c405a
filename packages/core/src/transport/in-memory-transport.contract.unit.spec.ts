// Core cannot depend on the testkit (the testkit depends on core), so its own specs import the suite's source.
import { describeTransportContract } from '../../../testkit/src/index';
import { inMemoryTransport } from './in-memory-transport';

// One cluster per file; each factory call is another client of it, as another process would be.
const cluster = inMemoryTransport();

describeTransportContract('in-memory', async () => ({ transport: cluster.client() }), {
  // The in-memory broker has no record size limit, so the suite cannot make a transaction abort.
  canAbort: false,
  waitMs: 5000,
  // No fetch cycle to hold anything back: a shorter rest shows the same.
  deferMs: 1500,
});
