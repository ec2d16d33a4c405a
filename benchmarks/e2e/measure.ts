// One measured window of the latency benchmark: an open-loop stream at `rate`, of which the commands after the
// warm-up are timed (slot, ack, applied), then a drain until each of them is applied or the drain times out.
import { percentile } from '../lib/stats';
import { openLoop } from './open-loop';
import { deposit, type OnApplied, type Side } from './sides';

/** A send that left this much after its slot counts as late: the load generator itself fell behind. */
const LATE_MS = 10;
/** Applied this long after its slot counts as queued: the system fell behind the schedule. */
const QUEUED_MS = 1000;
/**
 * More than this many seconds of commands waiting for their ack: the producer cannot sustain the rate, and the
 * window stops sending (an open loop would otherwise queue sends for minutes, into the next window). A backlog
 * on the apply side is left to grow: it is the queueing this benchmark is there to show.
 */
const MAX_UNACKED_S = 2;
const DRAIN_MS = 60_000;
/** After the drain, how long to wait for the side to finish the window's leftovers before the next window. */
const IDLE_MS = 60_000;

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface WindowResult {
  /** Measured commands scheduled, and of them sent (fewer when the window stopped sending). */
  readonly commands: number;
  readonly sent: number;
  /** Seconds after the window's start (warm-up included) at which it stopped sending; undefined if it did not. */
  readonly abandonedAtS: number | undefined;
  readonly schedToAck: Percentiles;
  readonly ackToApplied: Percentiles;
  /**
   * ack->applied split where the record reached the subscriber (framework sides; NaN on the raw one): the wait
   * for the fetch (and the batch slot), then decode and the store's transaction.
   */
  readonly ackToDelivered: Percentiles;
  readonly deliveredToApplied: Percentiles;
  /** Events applied per second while the load ran (warm-up included): the rate the side sustained. */
  readonly achievedRate: number;
  readonly lateSends: number;
  readonly queued: number;
  readonly failed: number;
  /**
   * CPU time of this whole process (every thread: the native client's too) over the window, warm-up, drain and
   * idle wait included, per command sent: what one command cost the side, whatever the machine's noise did to
   * its latency. The other sides sit idle meanwhile.
   */
  readonly cpuUsPerCommand: number;
  /** Sent but not applied when the drain ended. */
  readonly unapplied: number;
  /** Whether the side had finished everything of this window before the next one starts. */
  readonly idle: boolean;
}

/** Per-command times of the measured commands, indexed by seq - base; NaN until it happens. */
class Timeline {
  readonly slot: Float64Array;
  readonly fired: Float64Array;
  readonly acked: Float64Array;
  readonly applied: Float64Array;
  readonly delivered: Float64Array;
  sent = 0;
  appliedCount = 0;
  ackedCount = 0;
  failed = 0;
  constructor(
    readonly base: number,
    readonly n: number,
  ) {
    const times = () => new Float64Array(n).fill(NaN);
    this.slot = times();
    this.fired = times();
    this.acked = times();
    this.applied = times();
    this.delivered = times();
  }
  onApplied(seq: number, at: number, deliveredAt = NaN): void {
    const i = seq - this.base;
    if (i < 0 || i >= this.n || !Number.isNaN(this.applied[i]!)) return; // warm-up, or a redelivery
    this.applied[i] = at;
    this.delivered[i] = deliveredAt;
    this.appliedCount++;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `warmupS + durationS` seconds of load on `side`, starting at command `seq`; returns the figures of the
 * commands after the warm-up. `route` points the side's applied callback at this window.
 */
export async function measureWindow(
  side: Side,
  route: (onApplied: OnApplied | undefined) => void,
  seq: number,
  rate: number,
  warmupS: number,
  durationS: number,
): Promise<WindowResult> {
  const warm = Math.round(rate * warmupS);
  const n = Math.round(rate * durationS);
  const t = new Timeline(seq + warm, n);
  const appliedBefore = side.applied();
  const all = { fired: 0, settled: 0, failed: 0 };
  let abandonedAtS: number | undefined;
  route((s, at, deliveredAt) => t.onApplied(s, at, deliveredAt));
  const cpuBefore = process.cpuUsage();
  const loop = openLoop(
    rate,
    (i, slot) => {
      if (all.fired - all.settled > rate * MAX_UNACKED_S) {
        abandonedAtS = i / rate;
        return false;
      }
      const sent = side.send(deposit(seq + i));
      all.fired++;
      const j = i - warm;
      if (j >= 0) {
        t.slot[j] = slot;
        t.fired[j] = performance.now();
        t.sent++;
      }
      sent.then(
        () => {
          all.settled++;
          if (j < 0) return;
          t.acked[j] = performance.now();
          t.ackedCount++;
        },
        () => {
          all.settled++;
          all.failed++;
          if (j >= 0) t.failed++;
        },
      );
    },
    warm + n,
  );
  await loop.done;
  const achievedRate = ((side.applied() - appliedBefore) / (performance.now() - loop.t0)) * 1000;
  const drainEnd = performance.now() + DRAIN_MS;
  while (t.appliedCount + t.failed < t.sent || t.ackedCount + t.failed < t.sent) {
    if (performance.now() > drainEnd) break;
    await sleep(10);
  }
  route(undefined);
  const idleEnd = performance.now() + IDLE_MS;
  const busy = () => all.settled < all.fired || side.applied() - appliedBefore < all.fired - all.failed;
  while (busy() && performance.now() < idleEnd) await sleep(50);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuUsPerCommand = all.fired === 0 ? NaN : (cpu.user + cpu.system) / all.fired;
  return { ...summarise(t), abandonedAtS, achievedRate, cpuUsPerCommand, idle: !busy() };
}

type Figures = Omit<WindowResult, 'abandonedAtS' | 'achievedRate' | 'cpuUsPerCommand' | 'idle'>;

function summarise(t: Timeline): Figures {
  const schedToAck: number[] = [];
  const ackToApplied: number[] = [];
  const ackToDelivered: number[] = [];
  const deliveredToApplied: number[] = [];
  let lateSends = 0;
  let queued = 0;
  for (let i = 0; i < t.sent; i++) {
    const [slot, fired, acked, applied] = [t.slot[i]!, t.fired[i]!, t.acked[i]!, t.applied[i]!];
    if (fired - slot > LATE_MS) lateSends++;
    if (!Number.isNaN(acked)) schedToAck.push(acked - slot);
    if (Number.isNaN(applied)) continue;
    if (applied - slot > QUEUED_MS) queued++;
    // An event can be applied before its producer has processed the ack; that shows as a negative figure.
    if (!Number.isNaN(acked)) ackToApplied.push(applied - acked);
    const delivered = t.delivered[i]!;
    if (Number.isNaN(delivered)) continue;
    deliveredToApplied.push(applied - delivered);
    if (!Number.isNaN(acked)) ackToDelivered.push(delivered - acked);
  }
  const pct = (xs: number[]): Percentiles =>
    xs.length === 0
      ? { p50: NaN, p99: NaN, max: NaN }
      : { p50: percentile(xs, 50), p99: percentile(xs, 99), max: percentile(xs, 100) };
  return {
    commands: t.n,
    sent: t.sent,
    schedToAck: pct(schedToAck),
    ackToApplied: pct(ackToApplied),
    ackToDelivered: pct(ackToDelivered),
    deliveredToApplied: pct(deliveredToApplied),
    lateSends,
    queued,
    failed: t.failed,
    unapplied: t.sent - t.appliedCount,
  };
}

export const LIMITS = { LATE_MS, QUEUED_MS, MAX_UNACKED_S, DRAIN_MS };
