// Adds up vitest's JSON reports and prints "N passed, N failed" as the last line. A test file that failed to
// load, a project that wrote no report, or a failed service start each count as one failure. Each failed test is
// named (with the first line of its error) above the per-project counts, so the tail of a CI log says what failed.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const [dir, servicesFailed = '0', ...named] = process.argv.slice(2);
const projects = named.length > 0 ? named : ['unit', 'int', 'e2e'];
let passed = 0;
let failed = Number(servicesFailed);
const counts = [];
const failures = [];
// vitest reports a test that ran past its own timeout with the stack it captured at the start, whose first line
// is this placeholder, not the "timed out" message.
const TIMED_OUT = 'Error: STACK_TRACE_ERROR';
const firstLine = (messages) => {
  const line = String(messages?.[0] ?? '')
    .split('\n')[0]
    .slice(0, 400);
  return line === TIMED_OUT ? "timed out (past the test's timeout)" : line;
};
for (const project of projects) {
  const file = join(dir, `${project}.json`);
  if (!existsSync(file)) {
    counts.push(`${project}: no report (the run crashed)`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  let brokenFiles = 0;
  for (const f of r.testResults ?? []) {
    const where = relative(process.cwd(), f.name ?? '');
    const asserted = f.assertionResults ?? [];
    if (f.status === 'failed' && asserted.length === 0) {
      brokenFiles += 1;
      failures.push(`FAILED ${project} ${where}: did not run: ${firstLine([f.message])}`);
    }
    for (const a of asserted) {
      if (a.status === 'failed') {
        failures.push(
          `FAILED ${project} ${where} > ${a.fullName ?? a.title}: ${firstLine(a.failureMessages)}`,
        );
      }
    }
  }
  counts.push(
    `${project}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${brokenFiles} file(s) failed to run`,
  );
  passed += r.numPassedTests;
  failed += r.numFailedTests + brokenFiles;
}
for (const line of [...failures, ...counts]) console.log(line);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
