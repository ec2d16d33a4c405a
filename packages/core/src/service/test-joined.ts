/**
 * For tests: resolves once every consumer group of `service` has joined. `start()` resolves before the groups
 * joined (they join in the background), and the in-memory transport's `idle(groupId)` needs the group to exist.
 */
export async function joined(service: {
  health(): Promise<{ groups: readonly { state: string }[] }>;
}): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await service.health()).groups.every((g) => g.state === 'running')) {
    if (Date.now() > deadline) throw new Error('the consumer groups did not join within 5 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}
