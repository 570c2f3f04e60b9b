import { defineConfig } from 'vitest/config';

// Test files run in forked processes, each with a fresh database (see test/support/db.ts). The
// JSON report is what .ci/run counts. VITEST_INCLUDE exists for test/runner.test.ts, which runs
// this configuration on fixture tests to prove that failures fail the run.
export default defineConfig({
  test: {
    include: process.env.VITEST_INCLUDE ? process.env.VITEST_INCLUDE.split(',') : ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Vitest's default (cores − 1) runs one file at a time on the 2-core CI machine, yet most files
    // spend their time waiting (child processes, pg-boss timings, the bot's per-chat throttle),
    // not computing: three at once cut the run by more than half (docs/benchmarks.md).
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: process.env.VITEST_JSON_REPORT ?? '.test-results/vitest.json' },
  },
});
