/**
 * Numbers each unbroken ownership of a partition by one group member, for `BatchControl.claim`: a partition
 * keeps its number through rebalances that leave it with this member (nobody else can have read it meanwhile)
 * and gets a new one each time it comes back after another member had it.
 */
export interface PartitionClaims {
  /** Call with each assignment this member receives, in order. */
  assigned(assignment: Readonly<Record<string, readonly number[]>>): void;
  /** The partition's current claim; undefined while it is not assigned here. */
  of(topic: string, partition: number): number | undefined;
}

export function partitionClaims(): PartitionClaims {
  let current = new Map<string, number>();
  let next = 1;
  const tp = (topic: string, partition: number) => `${topic}\u0000${partition}`;
  return {
    assigned(assignment) {
      const now = new Map<string, number>();
      for (const [topic, partitions] of Object.entries(assignment)) {
        for (const p of partitions) now.set(tp(topic, p), current.get(tp(topic, p)) ?? next++);
      }
      current = now;
    },
    of: (topic, partition) => current.get(tp(topic, partition)),
  };
}
