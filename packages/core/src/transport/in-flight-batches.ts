/** The batch handlers a consumer is running, so that stopping can wait for them before it commits and leaves. */
export interface InFlightBatches {
  /** Runs one batch handler, counted until it settles. */
  run<T>(batch: () => Promise<T>): Promise<T>;
  /** Resolves once no batch handler is running. */
  idle(): Promise<void>;
}

export function inFlightBatches(): InFlightBatches {
  let running = 0;
  let waiters: (() => void)[] = [];
  return {
    async run(batch) {
      running++;
      try {
        return await batch();
      } finally {
        if (--running === 0) {
          const woken = waiters;
          waiters = [];
          for (const wake of woken) wake();
        }
      }
    },
    idle() {
      if (running === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
