import type { RecordPosition } from '@listen-to-yourself/core/store-kit';

/** How an entity row stores its position (offset as text, see the queries that select it). */
export interface PositionColumns {
  position_topic: string | null;
  position_partition: number | null;
  position_offset: string | null;
}

/** The stored position, or undefined when the row has none yet. */
export function positionOf(row: PositionColumns): RecordPosition | undefined {
  if (row.position_topic === null || row.position_partition === null || row.position_offset === null)
    return undefined;
  return { topic: row.position_topic, partition: row.position_partition, offset: row.position_offset };
}
