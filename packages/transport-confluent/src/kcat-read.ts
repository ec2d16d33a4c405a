import { spawnSync } from 'node:child_process';

/** A record as kcat read it: where it is, and its value as a string. */
export interface KcatRecord {
  readonly partition: number;
  readonly offset: string;
  readonly value: string;
}

/**
 * For this package's tests: every record of `topic`, read by kcat (an independent client) to the end with
 * read_committed isolation, in log order per partition.
 */
export function kcatRecords(brokers: readonly string[], topic: string): KcatRecord[] {
  const read = spawnSync(
    'kcat',
    ['-C', '-b', brokers.join(','), '-t', topic, '-o', 'beginning', '-e', '-q'].concat([
      '-X',
      'isolation.level=read_committed',
      '-f',
      '%p %o %s\\n',
    ]),
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 },
  );
  if (read.status !== 0)
    throw new Error(`kcat failed (${read.status}): ${read.stderr || read.error?.message}`);
  return read.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [partition, offset, ...value] = line.split(' ');
      return { partition: Number(partition), offset: offset!, value: value.join(' ') };
    });
}

/** Every value of `topic`, one string per record (see {@link kcatRecords}). */
export function kcatValues(brokers: readonly string[], topic: string): string[] {
  return kcatRecords(brokers, topic).map((r) => r.value);
}
