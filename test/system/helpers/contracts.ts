import { z } from 'zod';
import { defineCommand, defineEvent } from '../../../packages/core/src/index';

// The two services' contracts, as a contracts package would hold them: what the publisher publishes, and what
// the subscriber publishes in turn.

/** A placed item; `poison` makes the subscriber refuse it for good while it runs with SYSTEM_POISON=1. */
export const Placed = defineEvent({
  type: 'sys.Placed',
  schema: z.object({ key: z.string(), seq: z.number().int(), poison: z.boolean() }),
  key: (e) => e.key,
});

export const Place = defineCommand({ name: 'Place', input: Placed.schema, toEvents: (c) => Placed.of(c) });

/** The subscriber's own event: it noted a Placed. */
export const Noted = defineEvent({
  type: 'sys.Noted',
  schema: z.object({ key: z.string(), seq: z.number().int() }),
  key: (e) => e.key,
});

/** Both services keep, per key, the seqs they applied, in order. */
export interface Seqs {
  seqs: number[];
}
