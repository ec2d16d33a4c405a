import { TimeoutError, TransportError } from '../errors/errors';
import { assignPartitions, type PartitionAssigner } from './in-memory-assign';
import { tpKey, type InMemoryCluster } from './in-memory-cluster';
import type { Batch, BatchControl, ConsumeOptions } from './transport';

export interface GroupSettings {
  readonly assigner: PartitionAssigner;
  readonly maxBatchRecords: number;
  readonly redeliveryDelayMs: number;
}

interface Worker {
  readonly topic: string;
  readonly partition: number;
  revoked: boolean;
  /** Where the worker reads while its group has no committed offset (Kafka's auto.offset.reset, resolved once). */
  readonly resetOffset: bigint;
  /** One worker per unbroken ownership of the partition by its member: `BatchControl.claim`. */
  readonly claim: number;
}

interface Member {
  /** Join order; a member that rejoins after a crash gets a new one, as it would get a new member id. */
  seq: number;
  readonly options: ConsumeOptions;
  stopping: boolean;
  readonly workers: Map<string, Worker>;
  readonly loops: Set<Promise<void>>;
}

interface Group {
  readonly id: string;
  readonly members: Member[];
  /** One batch at a time per partition: the tail of each partition's queue of batches and seeks. */
  readonly locks: Map<string, Promise<void>>;
  inFlight: number;
  rejoining: number;
  /** Armed `crashConsumerAfterBatch` faults, each resolved once its crash happened. */
  readonly crashes: (() => void)[];
  /** Armed `failConsumer` faults: the error the next member to start a batch stops with. */
  readonly failures: unknown[];
}

/** The consumer groups of one cluster. */
export function createGroups(cluster: InMemoryCluster, settings: GroupSettings) {
  const groups = new Map<string, Group>();
  let joins = 0;
  let claims = 0;

  function groupOf(id: string): Group {
    let g = groups.get(id);
    if (!g) {
      g = { id, members: [], locks: new Map(), inFlight: 0, rejoining: 0, crashes: [], failures: [] };
      groups.set(id, g);
    }
    return g;
  }

  async function lock(group: Group, key: string): Promise<() => void> {
    const previous = group.locks.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => mine);
    group.locks.set(key, tail);
    await previous;
    return () => {
      if (group.locks.get(key) === tail) group.locks.delete(key);
      release();
    };
  }

  function rebalance(group: Group): void {
    const active = group.members.filter((m) => !m.stopping).sort((a, b) => a.seq - b.seq);
    const plan = assignPartitions(
      settings.assigner,
      active.map((m) => m.options),
      (t) => cluster.partitionCount(t),
    );
    for (const m of group.members) {
      const wanted = new Map(
        (plan.get(active.indexOf(m)) ?? []).map(([t, p]) => [tpKey(t, p), [t, p] as const]),
      );
      for (const [key, w] of m.workers) {
        if (wanted.has(key)) continue;
        w.revoked = true; // its in-flight batch now sees isRunning() false
        m.workers.delete(key);
      }
      if (!m.stopping)
        m.options.onAssignment?.([...wanted.values()].map(([topic, partition]) => ({ topic, partition })));
      for (const [key, [topic, partition]] of wanted) {
        if (m.workers.has(key)) continue;
        const resetOffset = m.options.fromBeginning ? 0n : BigInt(cluster.log(topic, partition).length);
        const w: Worker = { topic, partition, revoked: false, resetOffset, claim: ++claims };
        m.workers.set(key, w);
        const loop = runWorker(group, m, w);
        m.loops.add(loop);
        void loop.finally(() => m.loops.delete(loop));
      }
    }
    cluster.notify();
  }

  function nextBatch(group: Group, w: Worker): Batch | undefined {
    const log = cluster.log(w.topic, w.partition);
    const end = BigInt(log.length);
    const from = cluster.committed(group.id, w.topic, w.partition) ?? w.resetOffset;
    if (from >= end) return undefined;
    const records = log.slice(Number(from), Number(from) + settings.maxBatchRecords).map((r) => ({
      ...r,
      key: r.key && Buffer.from(r.key),
      value: r.value && Buffer.from(r.value),
    }));
    return { topic: w.topic, partition: w.partition, records };
  }

  async function runWorker(group: Group, member: Member, w: Worker): Promise<void> {
    const active = () => !w.revoked && !member.stopping;
    while (active()) {
      const release = await lock(group, tpKey(w.topic, w.partition));
      const batch = active() && cluster.reachable ? nextBatch(group, w) : undefined;
      if (!batch) {
        const wake = cluster.changed();
        release();
        if (active()) await wake;
        continue;
      }
      const failure = group.failures.length > 0 ? { error: group.failures.shift() } : undefined;
      const { crashed, progressed, deferredMs, fatal } = failure
        ? { crashed: undefined, progressed: false, deferredMs: undefined, fatal: failure }
        : await deliver(group, member, w, batch);
      release();
      cluster.notify();
      if (fatal) fail(group, member, fatal.error);
      else if (crashed) crash(group, member, crashed);
      else if (deferredMs !== undefined) await waitWhile(active, deferredMs);
      else await new Promise((r) => setTimeout(r, progressed ? 0 : settings.redeliveryDelayMs));
    }
  }

  async function deliver(group: Group, member: Member, w: Worker, batch: Batch) {
    const crashed = group.crashes.shift();
    const before = cluster.committed(group.id, w.topic, w.partition);
    let open = true;
    let deferredMs: number | undefined;
    const control: BatchControl = {
      async commit(nextOffset) {
        if (!open) {
          throw new TransportError(`commit on ${w.topic}[${w.partition}] after its batch ended`, {
            retriable: false,
          });
        }
        cluster.assertReachable('commit');
        // A crashed member's commit never reaches the broker: its records are delivered again.
        if (!crashed) cluster.commit(group.id, w.topic, w.partition, nextOffset);
      },
      async heartbeat() {
        cluster.assertReachable('heartbeat');
      },
      isRunning: () => open && !w.revoked && !member.stopping,
      deferPartition(delayMs) {
        deferredMs = delayMs;
      },
      claim: w.claim,
    };
    group.inFlight++;
    let fatal: { error: unknown } | undefined;
    try {
      await member.options.eachBatch(batch, control);
    } catch (error) {
      // The contract: what a throwing batch left uncommitted is delivered again, by another member when the
      // error says this one cannot go on.
      if ((error as { retriable?: unknown } | null)?.retriable === false) fatal = { error };
    } finally {
      open = false;
      group.inFlight--;
    }
    return {
      crashed,
      progressed: cluster.committed(group.id, w.topic, w.partition) !== before,
      deferredMs,
      fatal,
    };
  }

  /** The member stops for good (its partitions move to the others) and reports `error` once it left. */
  function fail(group: Group, member: Member, error: unknown): void {
    if (member.stopping) return;
    member.stopping = true;
    for (const w of member.workers.values()) w.revoked = true;
    member.workers.clear();
    const at = group.members.indexOf(member);
    if (at >= 0) group.members.splice(at, 1);
    rebalance(group);
    setImmediate(() => member.options.onCrash?.(error));
  }

  /** The member leaves (its partitions move or wait) and rejoins as a new member on the next turn. */
  function crash(group: Group, member: Member, done: () => void): void {
    for (const w of member.workers.values()) w.revoked = true;
    member.workers.clear();
    group.members.splice(group.members.indexOf(member), 1);
    group.rejoining++;
    rebalance(group);
    setImmediate(() => {
      group.rejoining--;
      if (!member.stopping) {
        member.seq = ++joins;
        group.members.push(member);
      }
      rebalance(group);
      done();
    });
  }

  function join(options: ConsumeOptions): { stop(): Promise<void> } {
    const group = groupOf(options.groupId);
    const member: Member = { seq: ++joins, options, stopping: false, workers: new Map(), loops: new Set() };
    group.members.push(member);
    rebalance(group);
    let stopped: Promise<void> | undefined;
    return {
      stop() {
        stopped ??= (async () => {
          member.stopping = true;
          rebalance(group); // other members take its partitions once its in-flight batches end
          while (member.loops.size > 0) await Promise.all([...member.loops]);
          const at = group.members.indexOf(member);
          if (at >= 0) group.members.splice(at, 1);
          cluster.notify();
        })();
        return stopped;
      },
    };
  }

  /** What keeps a group from being idle, one line per lagging partition; empty when idle. */
  function lag(group: Group): string[] {
    const out: string[] = [];
    if (group.inFlight > 0) out.push(`${group.inFlight} batch(es) in flight`);
    if (group.rejoining > 0) out.push('a crashed member is rejoining');
    const topics = new Set([
      ...group.members.flatMap((m) => m.options.topics),
      ...cluster.committedTopics(group.id),
    ]);
    for (const topic of topics) {
      for (let p = 0; p < cluster.partitionCount(topic); p++) {
        const end = BigInt(cluster.log(topic, p).length);
        const worker = group.members.map((m) => m.workers.get(tpKey(topic, p))).find((w) => w !== undefined);
        const at = cluster.committed(group.id, topic, p) ?? worker?.resetOffset ?? 0n;
        if (at < end) out.push(`${topic}[${p}] at ${at} of ${end}`);
      }
    }
    return out;
  }

  async function idle(groupId: string | undefined, timeoutMs: number): Promise<void> {
    if (groupId !== undefined && !groups.has(groupId)) {
      throw new TransportError(`idle: no consumer group ${groupId} on this transport`, { retriable: false });
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const watched =
        groupId === undefined ? [...groups.values()].filter((g) => g.members.length > 0) : [groupOf(groupId)];
      const lagging = watched.flatMap((g) => lag(g).map((l) => `${g.id}: ${l}`));
      if (lagging.length === 0) return;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new TimeoutError(`not idle within ${timeoutMs} ms: ${lagging.join('; ')}`, timeoutMs);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([cluster.changed(), new Promise((r) => (timer = setTimeout(r, left)))]);
      clearTimeout(timer);
    }
  }

  return {
    join,
    idle,
    failNext(groupId: string, error: unknown): void {
      groupOf(groupId).failures.push(error);
    },
    crashAfterBatch(groupId: string): Promise<void> {
      return new Promise<void>((resolve) => groupOf(groupId).crashes.push(resolve));
    },
    /** Moves the committed offset back (or forward) once the partition's in-flight batch has ended. */
    async seek(groupId: string, topic: string, partition: number, offset: string): Promise<void> {
      cluster.log(topic, partition);
      const release = await lock(groupOf(groupId), tpKey(topic, partition));
      try {
        cluster.commit(groupId, topic, partition, offset);
      } finally {
        release();
      }
    },
  };
}

export type InMemoryGroups = ReturnType<typeof createGroups>;

/** Waits `ms`, in short slices so a stopping member or a revoked partition does not wait it out. */
async function waitWhile(active: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (active() && Date.now() < until) {
    await new Promise((r) => setTimeout(r, Math.min(50, until - Date.now())));
  }
}
