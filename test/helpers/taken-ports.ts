import { spawnSync } from 'node:child_process';

/** The ports of `ports` on which something on 127.0.0.1 accepts connections now. */
export function takenPorts(ports: readonly number[]): number[] {
  // Synchronous on purpose: the helpers that call it run from sync code (describe-time and hooks).
  return ports.filter(
    (port) =>
      spawnSync('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], { stdio: 'ignore' }).status === 0,
  );
}

/**
 * Throws when a port a test is about to start its own server on is already taken: by a server of another
 * checkout, say, which the test would otherwise run against (and kill nodes of) without knowing.
 */
export function refuseTakenPorts(what: string, ports: readonly number[]): void {
  const taken = takenPorts(ports);
  if (taken.length > 0) {
    throw new Error(
      `${what}: port(s) ${taken.join(', ')} already taken by a process this test did not start; ` +
        'stop it (or pick other ports) rather than test against it',
    );
  }
}
