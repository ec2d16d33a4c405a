import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from '../errors/errors';
import { parseOptions } from '../service/parse-options';
import { kafkaTransport } from '../transport/kafka-transport';
import type { OutgoingRecord } from '../transport/transport';
import { dlqControlRecord } from './control-records';
import { deadLetterIndex } from './dead-letter-index';
import type { DeadLetterReason } from './dead-letter';
import { logicalDeadLetters, type DeadLetter } from './dead-letter-view';
import {
  deadLettersDefaults,
  deadLettersOptionsSchema,
  type DeadLettersOptions,
} from './dead-letters-options';
import { readTopic } from './read-topic';
import { planRelease, type DeadLetterSelection } from './redrive-plan';

/** What a redrive or purge run did. The key's owner releases each key when it reaches the key's marker. */
export interface ReleaseResult {
  readonly redriveId: string;
  /** The keys released; dead letters without a key are in `redriven` or `purged` only. */
  readonly keys: readonly string[];
  /** Ids of the dead letters produced again, in the order they were produced. */
  readonly redriven: readonly string[];
  /** Ids of the dead letters dropped. */
  readonly purged: readonly string[];
}

/** One partition of the service's topic as its consumer group sees it. */
export interface PartitionStatus {
  readonly partition: number;
  /** The group's committed offset (next record to apply); undefined before the group's first commit. */
  readonly committed: string | undefined;
  readonly end: string;
  /**
   * end − committed. As in Kafka's own tools, a transaction's commit marker takes an offset no consumer reads:
   * a caught-up group shows lag 1 on a partition whose last write was transactional (a redrive, a command
   * spanning partitions) until the next record arrives.
   */
  readonly lag: number;
}

export interface GroupStatus {
  readonly topic: string;
  readonly groupId: string;
  readonly dlqTopic: string;
  readonly partitions: readonly PartitionStatus[];
  readonly lag: number;
  /** Outstanding logical dead letters and the keys they park. */
  readonly deadLetters: number;
  readonly parkedKeys: number;
}

/**
 * The dead letters of one consumer group, and the operations the `lty` CLI runs on them. Reads are snapshots of
 * the dead-letter topic taken at each call. Not for concurrent runs on the same key from several places: two runs
 * are safe (the second finds the copies already applied) but redundant.
 */
export interface DeadLetters {
  /** Outstanding dead letters, one per event, each key's in original order; `key: ''` gives those without a key. */
  list(filter?: { key?: string; reason?: DeadLetterReason }): Promise<DeadLetter[]>;
  /** One outstanding dead letter by its id (see {@link DeadLetter.id}). */
  show(id: string): Promise<DeadLetter | undefined>;
  /**
   * Produces the selected keys' dead letters again to the service's topic (original bytes and headers, original
   * order per key), each key's preceded by a release marker, in one Kafka transaction. Event ids are kept, so an
   * event dead-lettered twice, or applied before, changes the store once. A dead letter without a key is produced
   * again to its original partition, and settled in the DLQ by the same transaction.
   */
  redrive(selection: DeadLetterSelection): Promise<ReleaseResult>;
  /** Releases the selected keys without producing their dead letters again (see `planRelease` for `eventId`). */
  purge(selection: DeadLetterSelection): Promise<ReleaseResult>;
  /** Committed offsets and lag per partition of the group, and its dead-letter counts. */
  status(): Promise<GroupStatus>;
  /** Disconnects the transport if this object created it; a transport passed in stays connected. */
  close(): Promise<void>;
}

const selectionSchema = z.union([
  z.object({ all: z.literal(true) }).strict(),
  z.object({ key: z.string().min(1) }).strict(),
  z.object({ eventId: z.string().min(1) }).strict(),
]);

/** Opens the dead letters of `groupId` on `topic`. Connects on first use. */
export function deadLetters(options: DeadLettersOptions): DeadLetters {
  const opts = parseOptions('deadLetters options', deadLettersOptionsSchema, deadLettersDefaults, options);
  const { topic, groupId } = opts;
  const dlqTopic = opts.dlqTopic ?? `${topic}.dlq`;
  const redriveTopic = opts.redriveTopic ?? topic;
  const transport = options.transport ?? kafkaTransport({ clientId: 'lty-dead-letters', ...options.kafka! });
  let connecting: Promise<void> | undefined;
  const connect = () =>
    (connecting ??= transport.connect().catch((err: unknown) => {
      connecting = undefined;
      throw err;
    }));

  /** Connects, then checks both topics exist, so a mistyped name says so instead of a broker error code. */
  async function ready(): Promise<number> {
    await connect();
    const counts: number[] = [];
    for (const t of [redriveTopic, topic, dlqTopic]) {
      const count = await transport.partitionCount(t).catch(() => 0);
      if (count === 0)
        throw new ConfigError(`topic ${t}`, ['does not exist (check the topic or service name)']);
      counts.push(count);
    }
    return counts[0]!;
  }

  async function snapshot() {
    await ready();
    const read = await readTopic(transport, dlqTopic, {
      timeoutMs: opts.readTimeoutMs,
      groupPrefix: `${groupId}.dlq-reader`,
    });
    const index = deadLetterIndex({ groupId, keepRecords: true });
    for (const r of read.records) index.add(r);
    const keys = index.parkedKeys();
    const all = [
      ...keys.flatMap((k) => logicalDeadLetters(index.state(k)!.outstanding)),
      ...logicalDeadLetters(index.keyless()),
    ]
      .filter((d) => [topic, redriveTopic, ''].includes(d.original.topic))
      .sort(
        (a, b) => a.dlq.partition - b.dlq.partition || Number(BigInt(a.dlq.offset) - BigInt(b.dlq.offset)),
      );
    return { deadLetters: all, ends: read.ends, parkedKeys: keys.length };
  }

  async function run(action: 'redrive' | 'purge', selection: DeadLetterSelection): Promise<ReleaseResult> {
    const sel = selectionSchema.safeParse(selection);
    if (!sel.success) {
      throw new ConfigError(`${action} selection`, [
        'give exactly one of { all: true }, { key } or { eventId }',
      ]);
    }
    const partitionCount = await ready();
    const snap = await snapshot();
    const redriveId = randomUUID();
    const plan = planRelease({
      action,
      selection: sel.data,
      deadLetters: snap.deadLetters,
      topic: redriveTopic,
      dlqTopic,
      partitionCount,
      groupId,
      redriveId,
      snapshot: snap.ends,
      markerLast: redriveTopic !== topic,
    });
    // One transaction: a marker never becomes visible without the copies that follow it (that would be a purge).
    if (plan.records.length > 0) await transport.produce(plan.records, { atomic: true });
    await endWithBarriers(plan.records);
    return {
      redriveId,
      keys: plan.keys,
      redriven: plan.redriven.map((d) => d.id),
      purged: plan.purged.map((d) => d.id),
    };
  }

  /**
   * The transaction left its commit marker at the end of each DLQ partition it settled a keyless dead letter in:
   * an offset no reader is shown, so the next read could not tell it reached the end. A plain barrier record
   * after it gives the partition a readable last record.
   */
  async function endWithBarriers(records: readonly OutgoingRecord[]): Promise<void> {
    const partitions = new Set(records.filter((r) => r.topic === dlqTopic).map((r) => r.partition));
    if (partitions.size === 0) return;
    await transport.produce(
      [...partitions].map((dlqPartition) =>
        dlqControlRecord({ dlqTopic, dlqPartition, key: '', groupId, control: 'barrier' }),
      ),
    );
  }

  return {
    async list(filter = {}) {
      const { deadLetters: all } = await snapshot();
      return all.filter(
        (d) =>
          (filter.key === undefined || d.key === filter.key) &&
          (filter.reason === undefined || d.reason === filter.reason),
      );
    },
    async show(id) {
      return (await snapshot()).deadLetters.find((d) => d.id === id);
    },
    redrive: (selection) => run('redrive', selection),
    purge: (selection) => run('purge', selection),
    async status() {
      await ready();
      // One after another: a failed call must not leave a DLQ read running after close().
      const committed = await transport.committedOffsets(groupId, topic);
      const ends = await transport.endOffsets(topic);
      const snap = await snapshot();
      const partitions = [...ends]
        .sort(([a], [b]) => a - b)
        .map(([partition, end]) => {
          const at = committed.get(partition);
          return { partition, committed: at, end, lag: Number(BigInt(end) - BigInt(at ?? '0')) };
        });
      return {
        topic,
        groupId,
        dlqTopic,
        partitions,
        lag: partitions.reduce((sum, p) => sum + p.lag, 0),
        deadLetters: snap.deadLetters.length,
        parkedKeys: snap.parkedKeys,
      };
    },
    async close() {
      if (!options.transport) await transport.disconnect();
    },
  };
}
