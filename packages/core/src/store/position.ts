/** Where a record sits in Kafka. Offsets are decimal strings (they exceed 2^53 in long-lived topics). */
export interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** Compares two offsets of the same partition: negative, zero or positive. */
export function compareOffsets(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** True when `at` is at or past `target` on the same topic and partition. */
export function reached(at: RecordPosition | undefined, target: RecordPosition): boolean {
  return (
    at !== undefined &&
    at.topic === target.topic &&
    at.partition === target.partition &&
    compareOffsets(at.offset, target.offset) >= 0
  );
}

/** The offset after `offset`, as Kafka commits expect ("next record to read"). */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}
