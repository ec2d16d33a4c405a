import { TransportError } from '../errors/errors';
import type { RecordPosition } from '../store/position';
import type { IncomingRecord, OffsetCommit, OutgoingRecord, TopicSpec } from './transport';

/** Names one partition of one topic in maps. */
export function tpKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/**
 * The broker side of the in-memory transport, shared by every client made from one `inMemoryTransport()`: the
 * partition logs, the committed offsets of every group, the connection and the produce faults. Membership and
 * delivery live in `in-memory-group.ts`.
 */
export interface InMemoryCluster {
  /** Resolves at the next change (a record, a commit, a member, a batch, the connection). Register before you wait. */
  changed(): Promise<void>;
  notify(): void;
  /** Throws a retriable TransportError while the connection is dropped. */
  assertReachable(what: string): void;
  readonly reachable: boolean;
  setReachable(reachable: boolean): void;
  createTopics(specs: readonly TopicSpec[]): void;
  /** 0 for a topic that does not exist. */
  partitionCount(topic: string): number;
  /** Throws a non-retriable TransportError for an unknown topic. */
  log(topic: string, partition: number): readonly IncomingRecord[];
  /** Appends every record (and commits every offset) in one step, or nothing; see the produce faults. */
  append(records: readonly OutgoingRecord[], offsets: readonly OffsetCommit[]): RecordPosition[];
  committed(groupId: string, topic: string, partition: number): bigint | undefined;
  /** Commits `offset` (the next offset to read) for the group. */
  commit(groupId: string, topic: string, partition: number, offset: string): void;
  /** Every topic the group has a committed offset on. */
  committedTopics(groupId: string): Set<string>;
  readonly faults: ProduceFaults;
}

/** The produce faults, armed by `transport.faults` and consumed by `append`. */
export interface ProduceFaults {
  /** Errors the next produce calls throw, one per call, writing nothing. */
  readonly failures: unknown[];
  /** How many of the next produce calls write their records and then throw as if the acknowledgement was lost. */
  lostAcks: number;
}

export function createCluster(): InMemoryCluster {
  const topics = new Map<string, IncomingRecord[][]>();
  /** groupId → tpKey → next offset to read. */
  const offsets = new Map<string, Map<string, bigint>>();
  const faults: ProduceFaults = { failures: [], lostAcks: 0 };
  let waiters: (() => void)[] = [];
  let reachable = true;

  function notify(): void {
    const wake = waiters;
    waiters = [];
    for (const w of wake) w();
  }

  function assertReachable(what: string): void {
    if (!reachable)
      throw new TransportError(`${what}: connection to the in-memory broker dropped`, { retriable: true });
  }

  function partitionsOf(topic: string, what: string): IncomingRecord[][] {
    const found = topics.get(topic);
    if (!found) throw new TransportError(`${what}: topic ${topic} does not exist`, { retriable: false });
    return found;
  }

  function checkPartition(topic: string, partition: number, what: string): IncomingRecord[] {
    const log = partitionsOf(topic, what)[partition];
    if (!Number.isInteger(partition) || !log) {
      throw new TransportError(`${what}: topic ${topic} has no partition ${partition}`, { retriable: false });
    }
    return log;
  }

  function checkOffset(offset: string, what: string): bigint {
    if (typeof offset !== 'string' || !/^\d+$/.test(offset)) {
      throw new TransportError(
        `${what}: offset must be a non-negative decimal string, got ${String(offset)}`,
        {
          retriable: false,
        },
      );
    }
    return BigInt(offset);
  }

  function commit(groupId: string, topic: string, partition: number, offset: string): void {
    checkPartition(topic, partition, `commit of ${groupId}`);
    const next = checkOffset(offset, `commit of ${groupId}`);
    const group = offsets.get(groupId) ?? new Map<string, bigint>();
    offsets.set(groupId, group);
    group.set(tpKey(topic, partition), next);
    notify();
  }

  function append(records: readonly OutgoingRecord[], commits: readonly OffsetCommit[]): RecordPosition[] {
    assertReachable('produce');
    if (faults.failures.length > 0) throw faults.failures.shift();
    // Check everything before writing anything, so a bad record leaves every log as it was.
    const logs = records.map((r) => checkPartition(r.topic, r.partition, 'produce'));
    for (const c of commits) {
      checkPartition(c.topic, c.partition, `offsets of ${c.groupId}`);
      checkOffset(c.offset, `offsets of ${c.groupId}`);
    }
    const timestamp = String(Date.now());
    const positions = records.map((r, i): RecordPosition => {
      const log = logs[i]!;
      const offset = String(log.length);
      log.push(
        Object.freeze({
          topic: r.topic,
          partition: r.partition,
          offset,
          key: Buffer.from(r.key, 'utf8'),
          value: Buffer.from(r.value),
          headers: Object.freeze({ ...r.headers }),
          timestamp,
        }),
      );
      return { topic: r.topic, partition: r.partition, offset };
    });
    for (const c of commits) commit(c.groupId, c.topic, c.partition, c.offset);
    notify();
    if (faults.lostAcks > 0) {
      faults.lostAcks--;
      throw new TransportError('produce: acknowledgement lost (injected fault; the records were written)', {
        retriable: true,
      });
    }
    return positions;
  }

  return {
    changed: () => new Promise<void>((resolve) => waiters.push(resolve)),
    notify,
    assertReachable,
    get reachable() {
      return reachable;
    },
    setReachable(value) {
      reachable = value;
      notify();
    },
    createTopics(specs) {
      for (const s of specs) {
        if (!Number.isInteger(s.partitions) || s.partitions < 1) {
          throw new TransportError(`topic ${s.topic}: partitions must be a positive integer`, {
            retriable: false,
          });
        }
      }
      for (const s of specs) {
        if (!topics.has(s.topic))
          topics.set(
            s.topic,
            Array.from({ length: s.partitions }, () => []),
          );
      }
      notify();
    },
    partitionCount: (topic) => topics.get(topic)?.length ?? 0,
    log: (topic, partition) => checkPartition(topic, partition, 'read'),
    append,
    committed: (groupId, topic, partition) => offsets.get(groupId)?.get(tpKey(topic, partition)),
    commit,
    committedTopics(groupId) {
      const out = new Set<string>();
      for (const key of offsets.get(groupId)?.keys() ?? []) out.add(key.slice(0, key.lastIndexOf('\u0000')));
      return out;
    },
    faults,
  };
}
