// An open-loop load generator: command i is due at t0 + i / rate, whatever happened to the commands before it.
// A closed loop (send, wait, send) slows down with the system and hides queueing; this one does not.

export interface OpenLoop {
  /** performance.now() of command 0's slot. */
  readonly t0: number;
  /** Resolves with the number of commands fired, after `count` of them or after stop(). */
  readonly done: Promise<number>;
  stop(): void;
}

/**
 * Calls `fire(i, slot)` for i = 0, 1, ... with `slot` = t0 + i / rate in performance.now() milliseconds, until
 * `count`, stop(), or `fire` returning false (which does not count as fired). Timers fire
 * at best every millisecond, so each tick fires every command that is due by then; `fire` must not wait for the
 * send it starts. A tick that comes late (a busy event loop) fires the overdue commands at once, with their
 * original slots, so the delay is counted against them rather than lost.
 */
export function openLoop(
  rate: number,
  fire: (i: number, slot: number) => boolean | void,
  count = Number.POSITIVE_INFINITY,
): OpenLoop {
  const interval = 1000 / rate;
  const t0 = performance.now();
  let next = 0;
  let stopped = false;
  let finish: (fired: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));
  const tick = () => {
    if (!stopped) {
      const due = Math.min(count, Math.floor((performance.now() - t0) / interval) + 1);
      while (next < due && !stopped) {
        if (fire(next, t0 + next * interval) === false) stopped = true;
        else next++;
      }
    }
    if (stopped || next >= count) finish(next);
    // A 1 ms timer rather than setImmediate: a spinning loop would take a core from the system under test.
    else setTimeout(tick, 1);
  };
  tick();
  return { t0, done, stop: () => void (stopped = true) };
}
