import type { DlqTail } from '../dlq/dlq-tail';

/**
 * The DLQ tail of one service instance, started when the instance starts if it subscribes or the DLQ topic exists,
 * else on the first token query that finds the topic. A DLQ topic that does not exist holds no dead letter, so
 * an instance that only takes commands (`subscribe: false`, topics created by someone else) may start without it.
 */
export interface TailHandle {
  /** Starts the tail; with `ifDlqExists`, only when the DLQ topic exists. */
  start(options: { ifDlqExists: boolean }): Promise<DlqTail | undefined>;
  /** The running tail, starting it first if the DLQ topic exists by now; undefined when there is none. */
  get(): Promise<DlqTail | undefined>;
  /** Stops the tail; `get()` starts nothing after this, until the next `start()`. */
  stop(): Promise<void>;
}

export function tailHandle(deps: {
  /** False for a service without own-event handlers: its self group dead-letters nothing. */
  readonly enabled: boolean;
  readonly make: () => DlqTail;
  readonly dlqExists: () => Promise<boolean>;
}): TailHandle {
  let tail: DlqTail | undefined;
  let starting: Promise<DlqTail | undefined> | undefined;
  let stopped = false;

  async function startNow(ifDlqExists: boolean): Promise<DlqTail | undefined> {
    if (ifDlqExists && !(await deps.dlqExists())) return undefined;
    const t = deps.make();
    await t.start();
    if (stopped) {
      await t.stop();
      return undefined;
    }
    tail = t;
    return t;
  }

  const start = (ifDlqExists: boolean) => {
    if (tail || stopped || !deps.enabled) return Promise.resolve(tail);
    starting ??= startNow(ifDlqExists).finally(() => (starting = undefined));
    return starting;
  };

  return {
    start: ({ ifDlqExists }) => {
      // A service start after a failed one starts the tail again.
      stopped = false;
      return start(ifDlqExists);
    },
    get: () => start(true),
    async stop() {
      stopped = true;
      await starting?.catch(() => undefined);
      const t = tail;
      tail = undefined;
      await t?.stop();
    },
  };
}
