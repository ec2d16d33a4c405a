import type { TransportAdmin } from '../transport/transport';
import type { GroupSupervisor } from './group-supervisor';
import type { CommandPathState, GroupHealth, HealthStatus, LastError, ServiceHealth } from './health-types';

export interface HealthInput {
  readonly commandPath: { readonly state: CommandPathState; readonly lastError?: LastError };
  readonly groups: readonly GroupSupervisor[];
  readonly transport: TransportAdmin;
  /** Bound of the broker calls that measure lag. */
  readonly lagTimeoutMs: number;
}

/** Builds the health report: the command path, each group with its lag, and the overall status. */
export async function serviceHealth(input: HealthInput): Promise<ServiceHealth> {
  const snapshots = input.groups.map((g) => g.snapshot());
  const canMeasure = input.commandPath.state === 'ready';
  const groups: GroupHealth[] = await Promise.all(
    snapshots.map(async (s) => ({
      ...s,
      lag: canMeasure ? await lagOf(input.transport, s.groupId, s.topic, input.lagTimeoutMs) : undefined,
    })),
  );
  return { status: overallStatus(input.commandPath.state, groups), commandPath: input.commandPath, groups };
}

/** The rule behind `HealthStatus`, apart so it can be read (and tested) on its own. */
export function overallStatus(
  commandPath: CommandPathState,
  groups: readonly Pick<GroupHealth, 'state'>[],
): HealthStatus {
  if (commandPath === 'starting') return 'starting';
  if (commandPath !== 'ready') return 'failed';
  if (groups.some((g) => g.state === 'crashed')) return 'failed';
  return groups.every((g) => g.state === 'running') ? 'ready' : 'degraded';
}

async function lagOf(
  transport: TransportAdmin,
  groupId: string,
  topic: string,
  timeoutMs: number,
): Promise<number | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<undefined>(
    (resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)),
  );
  const measure = (async () => {
    const [ends, committed] = await Promise.all([
      transport.endOffsets(topic),
      transport.committedOffsets(groupId, topic),
    ]);
    let lag = 0n;
    for (const [p, end] of ends) {
      const at = BigInt(committed.get(p) ?? '0');
      if (BigInt(end) > at) lag += BigInt(end) - at;
    }
    return Number(lag);
  })().catch(() => undefined);
  try {
    return await Promise.race([measure, bound]);
  } finally {
    clearTimeout(timer);
  }
}
