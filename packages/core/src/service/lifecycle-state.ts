import { ServiceStateError } from '../errors/errors';

export type LifecycleState = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

/** Where a service is between `start()` and `stop()`: set by the lifecycle, read by the parts it holds. */
export interface Lifecycle {
  readonly current: LifecycleState;
  set(next: LifecycleState): void;
  /** True once `stop()` began: nothing new may start (a group join under way, a DLQ tail). */
  readonly closing: boolean;
  /** Throws ServiceStateError unless the service is running. */
  assertRunning(service: string, doing: string): void;
}

export function lifecycleState(): Lifecycle {
  let state: LifecycleState = 'new';
  return {
    get current() {
      return state;
    },
    set: (next) => void (state = next),
    get closing() {
      return state === 'stopping' || state === 'stopped';
    },
    assertRunning(service, doing) {
      if (state === 'running') return;
      throw new ServiceStateError(
        state === 'new' || state === 'starting' ? 'LTY_NOT_STARTED' : 'LTY_STOPPED',
        `service ${service} is ${state === 'new' ? 'not started' : state}: cannot ${doing}`,
      );
    },
  };
}
