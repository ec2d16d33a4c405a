// What both command-path benchmarks share: the framework's service and side, and the run against a raw producer.
import {
  createService,
  inMemoryStateStore,
  onOwnEvent,
  type Service,
  type ServiceOptions,
} from '../../packages/core/src/index';
import type { Side } from './closed-loop';
import {
  BATCH,
  Deposit,
  Deposited,
  SERVICE,
  createTopic,
  deleteTopic,
  deposit,
  rawRecord,
  rawRecords,
  type Args,
  type RawRecord,
} from './common';
import { compare } from './compare';

/** The service under test on `topic`, reached through `connection` (kafka options or a transport). */
export function benchService(
  topic: string,
  connection: Pick<ServiceOptions, 'kafka' | 'transport'>,
): Service {
  return createService({
    name: SERVICE,
    ...connection,
    // The store is never read on this path: the self-subscriber is not started.
    store: inMemoryStateStore(),
    topic: { name: topic },
    ensureTopics: false,
    subscribe: false,
    commands: [Deposit],
    handlers: [onOwnEvent(Deposited, (s: number | undefined, e) => (s ?? 0) + e.payload.amount)],
  });
}

export const frameworkSide = (service: Service): Side => ({
  name: 'framework',
  perCall: 1,
  call: async (seq) => {
    await service.send(Deposit, deposit(seq));
  },
});

/** The hand-written producer a benchmark compares the framework with. */
export interface RawProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(records: RawRecord[]): Promise<void>;
}

/** Creates `topic`, compares the framework with one-record and batched raw sends, then cleans up. */
export async function runCommandBench(o: {
  id: string;
  client: string;
  topic: string;
  args: Args;
  service: Service;
  raw: RawProducer;
}): Promise<void> {
  const sides: [Side, Side, Side] = [
    frameworkSide(o.service),
    { name: 'raw per-call', perCall: 1, call: (seq) => o.raw.send([rawRecord(seq)]) },
    { name: 'raw batched', perCall: BATCH, call: (seq) => o.raw.send(rawRecords(seq, BATCH)) },
  ];
  try {
    await createTopic(o.topic);
    await Promise.all([o.service.start(), o.raw.connect()]);
    await compare({ id: o.id, client: o.client, sides, args: o.args });
  } finally {
    await Promise.allSettled([o.service.stop(), o.raw.disconnect()]);
    await deleteTopic(o.topic);
  }
}
