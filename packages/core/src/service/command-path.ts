import { messageOf } from '../errors/errors';
import { isLtyError } from '../errors/lty-error';
import type { CommandPathState, LastError } from './health-types';

/** The state of the command path as `start()` and `stop()` move it, with the error that made it fail. */
export function commandPathTracker() {
  let state: CommandPathState = 'starting';
  let lastError: LastError | undefined;
  return {
    set(next: CommandPathState, err?: unknown): void {
      state = next;
      if (err !== undefined) {
        lastError = {
          message: messageOf(err),
          at: new Date().toISOString(),
          ...(isLtyError(err) ? { code: err.code } : {}),
        };
      }
    },
    current: (): { state: CommandPathState; lastError?: LastError } => ({
      state,
      ...(lastError ? { lastError } : {}),
    }),
  };
}
