// The closed-loop driver: C workers, each awaiting its send before starting the next, until a fixed number of
// records is sent. Throughput counts records; latency is per call (one record, or one batch of them).
import { percentile } from '../lib/stats';

/** One way of sending the benchmark's records: the framework, or a hand-written baseline. */
export interface Side {
  readonly name: string;
  /** Records each call sends: 1, or a batch for the batched baseline. */
  readonly perCall: number;
  /** Sends the records numbered `seq` .. `seq + perCall - 1` and resolves once the broker acknowledged them. */
  call(seq: number): Promise<void>;
}

export interface Sample {
  /** Records acknowledged per second, first call started to last call answered. */
  readonly perSecond: number;
  /** Per-call latency percentiles, ms. */
  readonly p50: number;
  readonly p99: number;
  /** Workers that ran: fewer than the concurrency when there are fewer calls than workers. */
  readonly workers: number;
}

/**
 * Sends `records` records through `side` with `concurrency` workers. `seqBase` numbers the records, so that
 * successive runs carry different payloads (and, through `seq`, the same ones across sides).
 */
export async function closedLoop(
  side: Side,
  records: number,
  concurrency: number,
  seqBase: number,
): Promise<Sample> {
  const calls = Math.ceil(records / side.perCall);
  const latencies = new Array<number>(calls);
  let next = 0;
  const worker = async () => {
    while (next < calls) {
      const i = next++;
      const t0 = performance.now();
      await side.call(seqBase + i * side.perCall);
      latencies[i] = performance.now() - t0;
    }
  };
  const workers = Math.min(concurrency, calls);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: workers }, worker));
  const elapsed = performance.now() - t0;
  return {
    perSecond: ((calls * side.perCall) / elapsed) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    workers,
  };
}
