/** How partitions are split among a group's members: kafkajs' default, or the Java client's range assignor. */
export type PartitionAssigner = 'round-robin' | 'range';

/** Splits the partitions of the members' topics among them, by member order. */
export function assignPartitions(
  assigner: PartitionAssigner,
  members: readonly { readonly topics: readonly string[] }[],
  partitionCount: (topic: string) => number,
): Map<number, [topic: string, partition: number][]> {
  const out = new Map(members.map((_, i) => [i, [] as [string, number][]]));
  const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
  if (assigner === 'range') {
    for (const topic of topics) {
      const subs = [...members.keys()].filter((i) => members[i]!.topics.includes(topic));
      const n = partitionCount(topic);
      const per = Math.floor(n / subs.length);
      const extra = n % subs.length;
      subs.forEach((m, i) => {
        const start = i * per + Math.min(i, extra);
        for (let p = start; p < start + per + (i < extra ? 1 : 0); p++) out.get(m)!.push([topic, p]);
      });
    }
    return out;
  }
  let cursor = 0;
  for (const topic of topics) {
    for (let p = 0; p < partitionCount(topic); p++) {
      while (!members[cursor % members.length]!.topics.includes(topic)) cursor++;
      out.get(cursor % members.length)!.push([topic, p]);
      cursor++;
    }
  }
  return out;
}
