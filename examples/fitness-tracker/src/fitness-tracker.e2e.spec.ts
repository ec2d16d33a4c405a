import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('runs the fitness session end to end on Kafka and Cassandra and reports every step ok', () => {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const run = spawnSync(process.execPath, ['--import', 'tsx', main], { encoding: 'utf8', timeout: 150_000 });
  const out = `${run.stdout}\n${run.stderr}`;
  expect(out).toContain('steps today: 5500');
  expect(out).not.toContain('FAIL');
  expect(run.status).toBe(0);
}, 180_000);
