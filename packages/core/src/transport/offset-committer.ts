import type { TopicPartition } from './transport';

/** A partition's next offset to read, as a consumer commits it. */
export interface PartitionOffset extends TopicPartition {
  readonly offset: string;
}

/**
 * Takes offset commits off a consumer's critical path, for transports on clients whose commit is a broker round
 * trip (kafkajs, @confluentinc/kafka-javascript). `BatchControl.commit()` marks; the marks go to the broker in
 * one request every `intervalMs`, and at once on `flush()` (a rebalance) and `stop()`. A commit is an
 * optimisation, not a guarantee: the store recognises a record delivered again by its position, so what a crash
 * leaves uncommitted costs a redelivery, never a second effect. With `intervalMs` 0 every mark is committed
 * before `mark()` resolves, as a client's own commit would be.
 */
export interface OffsetCommitter {
  /** Records `offset` as the partition's next offset to commit (the latest mark wins). */
  mark(topic: string, partition: number, offset: string): Promise<void>;
  /** Commits every pending mark now; resolves once they are committed, rejects when their commit failed. */
  flush(): Promise<void>;
  /** Commits what is pending and stops the timer; later marks are committed at once. Idempotent. */
  stop(): Promise<void>;
}

export interface OffsetCommitterOptions {
  /** Sends one commit request for these offsets. */
  readonly commit: (offsets: readonly PartitionOffset[]) => Promise<void>;
  /** Longest a mark waits for its commit; 0 commits each mark before `mark()` resolves. */
  readonly intervalMs: number;
  /**
   * Told about every failed commit (a revoked partition cannot commit: its new owner reads the records again).
   * With `intervalMs` 0 the failure also rejects `mark()`.
   */
  readonly onError?: (err: unknown) => void;
}

export function createOffsetCommitter(options: OffsetCommitterOptions): OffsetCommitter {
  const pending = new Map<string, PartitionOffset>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // Commits go out one at a time and in order, so an older offset never lands after a newer one.
  let chain: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return chain;
    const offsets = [...pending.values()];
    pending.clear();
    const sent = chain.then(() => options.commit(offsets));
    chain = sent.catch((err: unknown) => options.onError?.(err));
    return sent;
  }

  return {
    mark(topic, partition, offset) {
      pending.set(`${topic}\u0000${partition}`, { topic, partition, offset });
      if (options.intervalMs === 0) return flush();
      if (stopped) return flush().catch(() => undefined);
      timer ??= setTimeout(() => void flush().catch(() => undefined), options.intervalMs);
      return Promise.resolve();
    },
    flush,
    stop() {
      stopped = true;
      return flush().catch(() => undefined);
    },
  };
}

/**
 * The committers of a transport's consumers, by group. A transaction that commits a group's offset (`produce`
 * with `offsets`) flushes the group's pending marks first: a mark sent after it would move the group's offset
 * back to before the transaction's record, and a restart would then emit its follow-ups again.
 */
export interface GroupCommitters {
  /** Registers a consumer's committer; the returned function removes it. */
  add(groupId: string, committer: OffsetCommitter): () => void;
  /** Flushes every committer of the groups named; failures are left to the committers' `onError`. */
  flush(groupIds: Iterable<string>): Promise<void>;
}

export function groupCommitters(): GroupCommitters {
  const byGroup = new Map<string, Set<OffsetCommitter>>();
  return {
    add(groupId, committer) {
      const set = byGroup.get(groupId) ?? new Set<OffsetCommitter>();
      byGroup.set(groupId, set.add(committer));
      return () => void set.delete(committer);
    },
    async flush(groupIds) {
      const all = [...new Set(groupIds)].flatMap((g) => [...(byGroup.get(g) ?? [])]);
      await Promise.all(all.map((c) => c.flush().catch(() => undefined)));
    },
  };
}
