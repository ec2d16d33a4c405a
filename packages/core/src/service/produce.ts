import type { RecordPosition } from '../store/position';
import type { OffsetCommit, OutgoingRecord, Transport } from '../transport/transport';

/** Produces records and resolves with their positions, in the order of `records`. */
export type Produce = (records: OutgoingRecord[], offsets?: OffsetCommit[]) => Promise<RecordPosition[]>;

/**
 * Records on one partition need only the idempotent producer; records on more need a transaction so that all or
 * none become visible. Consumed offsets given with them always go in a transaction (consume-transform-produce).
 */
export function producer(transport: Transport): Produce {
  return (records, offsets) => {
    if (offsets?.length) return transport.produce(records, { offsets });
    // Most commands make one record: no set of partitions for it.
    const atomic =
      records.length > 1 && new Set(records.map((r) => `${r.topic}\u0000${r.partition}`)).size > 1;
    return transport.produce(records, { atomic });
  };
}
