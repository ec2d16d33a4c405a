/**
 * Runs `work` and resolves true when it finished within `timeoutMs`, false when the bound passed first (the work
 * goes on in the background; its failure is ignored: the caller disconnects next, which ends it).
 */
export async function stopWithin(timeoutMs: number, work: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([
      work().then(
        () => true as const,
        () => true as const,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
