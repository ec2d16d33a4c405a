/**
 * The service as a whole:
 * - `starting`: `start()` has not finished; no commands yet.
 * - `ready`: commands are taken and every consumer group is running.
 * - `degraded`: commands are taken, but a group is joining or waiting to join again (events wait, none is lost).
 * - `failed`: no commands (start failed, or the service stopped), or a group crashed and will not restart.
 */
export type HealthStatus = 'starting' | 'ready' | 'degraded' | 'failed';

/** The command path (producer, topics, codec): what `send()` needs. */
export type CommandPathState = 'starting' | 'ready' | 'failed' | 'stopping' | 'stopped';

/**
 * A consumer group: `joining` (waiting for its first assignment), `running`, `retrying` (left after a fault,
 * joins again after a backoff), `crashed` (stopped after a fault that a restart cannot mend), `stopped`.
 */
export type GroupState = 'joining' | 'running' | 'retrying' | 'crashed' | 'stopped';

/** The last fault seen, with when it happened (ISO 8601) and its `LtyError` code when it has one. */
export interface LastError {
  readonly message: string;
  readonly at: string;
  readonly code?: string;
}

/** One consumer group of the service. */
export interface GroupHealth {
  readonly groupId: string;
  readonly topic: string;
  readonly state: GroupState;
  /** Partitions of `topic` this instance owns now. */
  readonly partitions: readonly number[];
  /**
   * Records of `topic` the group (all its members) has not committed yet, summed over partitions; undefined
   * when the broker did not answer within the health check's bound.
   */
  readonly lag: number | undefined;
  /** How many times the group's consumer crashed in this process. */
  readonly restarts: number;
  readonly lastError?: LastError;
}

/** What `service.health()` reports. */
export interface ServiceHealth {
  readonly status: HealthStatus;
  readonly commandPath: { readonly state: CommandPathState; readonly lastError?: LastError };
  readonly groups: readonly GroupHealth[];
}
