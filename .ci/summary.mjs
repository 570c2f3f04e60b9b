// Reads vitest's JSON report and prints `<passed> <failed>` for .ci/run's closing line. Exits
// non-zero when a test failed, when no report was written (the type check, the linter or the
// migration check stopped `npm test` first), or when fewer tests ran than the floor in .ci/test-floor.
import { readFileSync } from 'node:fs';

const say = (line) => process.stdout.write(`${line}\n`);
const complain = (line) => process.stderr.write(`${line}\n`);

const floor = Number(readFileSync(new URL('./test-floor', import.meta.url), 'utf8').trim());
let report;
try {
  report = JSON.parse(readFileSync('.test-results/vitest.json', 'utf8'));
} catch {
  say('0 1');
  complain('no vitest report: npm test stopped before the tests ran (see above)');
  process.exit(1);
}
const passed = report.numPassedTests;
let failed = report.numFailedTests;
// A file that fails to load or whose hook throws fails no test, but it fails the run.
if (!report.success && failed === 0) failed = Math.max(1, report.numFailedTestSuites);
if (report.numTotalTests < floor) {
  // Too few tests is a failure of the run: it counts as one.
  complain(`only ${report.numTotalTests} tests ran; the floor in .ci/test-floor is ${floor}`);
  failed = Math.max(1, failed);
}
say(`${passed} ${failed}`);
process.exit(failed > 0 ? 1 : 0);
