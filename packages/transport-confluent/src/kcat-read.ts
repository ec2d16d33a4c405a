import { spawnSync } from 'node:child_process';

/**
 * For this package's tests: every value of `topic`, read by kcat (an independent client) to the end with
 * read_committed isolation, one string per record in log order.
 */
export function kcatValues(brokers: readonly string[], topic: string): string[] {
  const read = spawnSync(
    'kcat',
    ['-C', '-b', brokers.join(','), '-t', topic, '-o', 'beginning', '-e', '-q'].concat([
      '-X',
      'isolation.level=read_committed',
      '-f',
      '%s\\n',
    ]),
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 },
  );
  if (read.status !== 0)
    throw new Error(`kcat failed (${read.status}): ${read.stderr || read.error?.message}`);
  return read.stdout.split('\n').filter(Boolean);
}
