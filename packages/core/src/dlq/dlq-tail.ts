import { randomUUID } from 'node:crypto';
import { messageOf } from '../errors/errors';
import type { Logger } from '../service/logger';
import type { Consumption, IncomingRecord, Transport } from '../transport/transport';
import { dlqControlRecord } from './control-records';
import { deadLetterIndex, type DeadLetterIndex } from './dead-letter-index';
import { deadLetterOutcomes, type DeadLetterOutcomes } from '../outcomes/dead-letter-outcomes';

/** What a wait needs from its caller: whether to go on, and a way to stay in the group meanwhile. */
export interface WaitControl {
  isRunning(): boolean;
  heartbeat(): Promise<void>;
}

/**
 * Every instance's view of the DLQ: it reads the whole dead-letter topic from the beginning and keeps reading,
 * folding each record into a {@link DeadLetterIndex}, so every member of the group knows every parked key,
 * whoever parked it and whenever this instance started.
 */
export interface DlqTail extends Consumption {
  readonly index: DeadLetterIndex;
  /** The same records by the position each dead letter replaced, for the outcomes of consistency tokens. */
  readonly outcomes: DeadLetterOutcomes;
  /** Folds in a DLQ record this instance produced itself, before the tail reads it back. */
  note(record: IncomingRecord): void;
  /** Joins a throwaway consumer group of its own on the DLQ topic. */
  start(): Promise<void>;
  /**
   * Resolves true once the tail has read every DLQ record written before the call (end offsets measured at the
   * call), false as soon as `control.isRunning()` turns false. Broker faults are retried meanwhile.
   */
  catchUp(control: WaitControl): Promise<boolean>;
}

export interface DlqTailOptions {
  readonly transport: Transport;
  readonly dlqTopic: string;
  readonly groupId: string;
  readonly logger: Logger;
  /**
   * How long the tail may fail to reach a measured end before it writes `barrier` control records to reach
   * instead: an end offset can point past the last readable record (a transaction marker, records removed by
   * retention), which a consumer never reports. @defaultValue 5000
   */
  readonly stallMs?: number;
}

const POLL_MS = 25;

export function dlqTail(options: DlqTailOptions): DlqTail {
  const { transport, dlqTopic, groupId, logger } = options;
  const stallMs = options.stallMs ?? 5000;
  const index = deadLetterIndex({ groupId });
  const outcomes = deadLetterOutcomes({ groupId });
  const note = (record: IncomingRecord) => {
    index.add(record);
    outcomes.add(record);
  };
  // Next offset to read per DLQ partition, as far as this tail has folded records in.
  const seen = new Map<number, bigint>();
  let consumption: Consumption | undefined;

  const reached = (target: ReadonlyMap<number, bigint>) =>
    [...target].every(([p, end]) => (seen.get(p) ?? 0n) >= end);

  async function retrying<T>(
    control: WaitControl,
    what: string,
    fn: () => Promise<T>,
  ): Promise<T | undefined> {
    for (let attempt = 1; control.isRunning(); attempt++) {
      try {
        return await fn();
      } catch (err) {
        logger.warn(`dlq tail: ${what} failed, will retry`, { dlqTopic, error: messageOf(err) });
        await sleep(Math.min(5000, 100 * 2 ** attempt), control);
      }
    }
    return undefined;
  }

  async function writeBarriers(control: WaitControl, target: Map<number, bigint>): Promise<boolean> {
    const lagging = [...target].filter(([p, end]) => (seen.get(p) ?? 0n) < end).map(([p]) => p);
    logger.warn('dlq tail: end offsets not reached, writing barrier records', { dlqTopic, lagging });
    const records = lagging.map((p) =>
      dlqControlRecord({ dlqTopic, dlqPartition: p, key: '', groupId, control: 'barrier' }),
    );
    const positions = await retrying(control, 'barrier produce', () => transport.produce(records));
    if (!positions) return false;
    for (const pos of positions) target.set(pos.partition, BigInt(pos.offset) + 1n);
    return true;
  }

  return {
    index,
    outcomes,
    note,
    async start() {
      consumption = await transport.consume({
        // kafkajs has no group-less consumer: a group of our own, never shared, reads every partition.
        groupId: `${groupId}.dlq-tail.${randomUUID()}`,
        topics: [dlqTopic],
        fromBeginning: true,
        eachBatch: async (batch, control) => {
          for (const record of batch.records) note(record);
          const last = batch.records[batch.records.length - 1];
          if (!last) return;
          seen.set(batch.partition, BigInt(last.offset) + 1n);
          // Nothing reads these offsets back; committing is how the client moves on to the next batch.
          await control.commit((BigInt(last.offset) + 1n).toString()).catch(() => undefined);
        },
        onCrash: (err) => logger.error('dlq tail crashed', { dlqTopic, error: messageOf(err) }),
      });
    },
    async catchUp(control) {
      const ends = await retrying(control, 'end offsets', () => transport.endOffsets(dlqTopic));
      if (!ends) return false;
      const target = new Map([...ends].map(([p, o]) => [p, BigInt(o)] as const));
      let stalledSince = Date.now();
      let barriersWritten = false;
      while (!reached(target)) {
        if (!control.isRunning()) return false;
        if (!barriersWritten && Date.now() - stalledSince > stallMs) {
          if (!(await writeBarriers(control, target))) return false;
          barriersWritten = true;
          stalledSince = Date.now();
        }
        await sleep(POLL_MS, control);
      }
      return true;
    },
    async stop() {
      await consumption?.stop();
    },
  };
}

async function sleep(ms: number, control: WaitControl): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
  // A long catch-up must not cost the waiting batch its group membership (kafkajs throttles heartbeats itself).
  await control.heartbeat().catch(() => undefined);
}
