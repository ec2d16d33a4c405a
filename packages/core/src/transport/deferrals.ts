/**
 * The resume timers behind `BatchControl.deferPartition` for clients that pause a partition from inside a batch
 * (kafkajs and @confluentinc/kafka-javascript): each deferral pauses now and resumes after its delay, unless the
 * consumption stopped first.
 */
export interface Deferrals {
  /** Pauses with `pause()` (which returns the resume function) and resumes after `delayMs`. */
  defer(pause: () => () => void, delayMs: number): void;
  /** Drops every pending resume: the partitions' next owner reads them from their last commit. */
  stop(): void;
}

export function createDeferrals(): Deferrals {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  return {
    defer(pause, delayMs) {
      const resume = pause();
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (stopped) return;
        try {
          resume();
        } catch {
          // The client disconnected meanwhile: nothing left to resume.
        }
      }, delayMs);
      timers.add(timer);
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
