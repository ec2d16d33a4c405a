import type { IncomingRecord, TopicPartition } from '@listen-to-yourself/core/transport-kit';
import type { ConfluentNativeConsumer } from './confluent-client';

/** What the native consumer keeps per assigned partition. */
export interface NativePartition {
  readonly topic: string;
  readonly partition: number;
  /** Fetched records not yet handed to a batch, in offset order. */
  readonly queue: IncomingRecord[];
  running: boolean;
  /** When its last batch started (a sequence number): the longest-waiting partition goes first. */
  startedSeq: number;
  /**
   * The consumer's generation when records fetched for this partition were last made void (a seek back, a
   * revocation): a consume call started before it may still return them, and they are dropped.
   */
  epoch: number;
  revoked: boolean;
  /** Left out of fetches because its queue is full, or because a deferral waits. */
  full: boolean;
  deferred: boolean;
  /** Whether librdkafka was told to pause it. */
  paused: boolean;
  /** Called when a running batch returns: a revocation may wait for it. */
  idle?: () => void;
}

/** The assigned partitions of one native consumer, and their pause state in librdkafka. */
export class NativePartitions {
  private readonly parts = new Map<string, NativePartition>();

  constructor(private readonly consumer: () => ConfluentNativeConsumer) {}

  get(topic: string, partition: number): NativePartition | undefined {
    return this.parts.get(key(topic, partition));
  }

  values(): IterableIterator<NativePartition> {
    return this.parts.values();
  }

  add(tp: TopicPartition): void {
    this.parts.set(key(tp.topic, tp.partition), {
      topic: tp.topic,
      partition: tp.partition,
      queue: [],
      running: false,
      startedSeq: 0,
      epoch: 0,
      revoked: false,
      full: false,
      deferred: false,
      paused: false,
    });
  }

  delete(part: NativePartition): void {
    if (this.parts.get(key(part.topic, part.partition)) === part)
      this.parts.delete(key(part.topic, part.partition));
  }

  /** True while `part` is still the assigned one (not revoked, not replaced by a later assignment). */
  isCurrent(part: NativePartition): boolean {
    return !part.revoked && this.parts.get(key(part.topic, part.partition)) === part;
  }

  /** Pauses or resumes the partition in librdkafka to match `full` and `deferred`. */
  syncPause(part: NativePartition): void {
    const want = part.full || part.deferred;
    if (want === part.paused || !this.isCurrent(part)) return;
    const tp = [{ topic: part.topic, partition: part.partition }];
    if (want) this.consumer().pause(tp);
    else this.consumer().resume(tp);
    part.paused = want;
  }
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;
