import type { BatchControl } from '../transport/transport';

/** How often a waiting retry heartbeats, so a long backoff never costs the group membership. */
const HEARTBEAT_SLICE_MS = 1000;

/** Waits `ms` in slices, heartbeating between them. Resolves false as soon as the consumer stops running. */
export async function sleepWhileRunning(ms: number, control: BatchControl): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (!control.isRunning()) return false;
    const left = until - Date.now();
    if (left <= 0) return true;
    await new Promise((r) => setTimeout(r, Math.min(left, HEARTBEAT_SLICE_MS, 100)));
    await control.heartbeat().catch(() => undefined);
  }
}
