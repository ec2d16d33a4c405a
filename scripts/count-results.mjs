// Adds up vitest's JSON reports and prints "N passed, N failed" as the last line. A test file that failed to
// load, a project that wrote no report, or a failed service start each count as one failure.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, servicesFailed = '0', ...named] = process.argv.slice(2);
const projects = named.length > 0 ? named : ['unit', 'int', 'e2e'];
let passed = 0;
let failed = Number(servicesFailed);
for (const project of projects) {
  const file = join(dir, `${project}.json`);
  if (!existsSync(file)) {
    console.log(`${project}: no report (the run crashed)`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const brokenFiles = (r.testResults ?? []).filter(
    (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0,
  ).length;
  console.log(
    `${project}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${brokenFiles} file(s) failed to run`,
  );
  passed += r.numPassedTests;
  failed += r.numFailedTests + brokenFiles;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
