// The test runner's exit code is the suite's verdict: this project's own vitest configuration,
// run in a child process on fixture tests, must exit non-zero on a failing test, a failing hook, a
// failing global setup and no test files at all — and zero on a passing file.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const VITEST = path.join(
  path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);
const fixture = (name: string) => `test/fixtures/runner/${name}.fixture.ts`;

let reports: string | undefined;
afterAll(async () => {
  if (reports) await rm(reports, { recursive: true, force: true });
});

async function runVitest(include: string, env: Record<string, string> = {}) {
  reports ??= await mkdtemp(path.join(tmpdir(), 'warmup-runner-'));
  const report = path.join(reports, `${Math.random().toString(36).slice(2)}.json`);
  return new Promise<{ code: number | null; output: string; report: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST, 'run'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        VITEST_INCLUDE: include,
        VITEST_JSON_REPORT: report,
        TEST_DATABASE_URL: inject('adminDatabaseUrl'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, report }));
  });
}

describe('the test runner', () => {
  it('exits 0 on a passing file, and reports it', async () => {
    const run = await runVitest(fixture('passes'));
    expect(run.code, run.output).toBe(0);
    const json = JSON.parse(await readFile(run.report, 'utf8'));
    expect({ passed: json.numPassedTests, failed: json.numFailedTests }).toEqual({ passed: 1, failed: 0 });
  });

  it('exits non-zero on a failing test', async () => {
    const run = await runVitest(fixture('fails'));
    expect(run.code, run.output).toBe(1);
    const json = JSON.parse(await readFile(run.report, 'utf8'));
    expect({ passed: json.numPassedTests, failed: json.numFailedTests }).toEqual({ passed: 0, failed: 1 });
  });

  it('exits non-zero on a failing hook', async () => {
    const run = await runVitest(fixture('hook-fails'));
    expect(run.code, run.output).not.toBe(0);
  });

  it('exits non-zero when the global setup throws (an unreachable TEST_DATABASE_URL)', async () => {
    const run = await runVitest(fixture('passes'), {
      TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres',
    });
    expect(run.code, run.output).not.toBe(0);
    expect(run.output).toContain('TEST_DATABASE_URL is set but its server cannot be reached');
  });

  it('exits non-zero when no test file is found', async () => {
    const run = await runVitest('test/fixtures/runner/nothing-here-*.ts');
    expect(run.code, run.output).not.toBe(0);
  });
});

describe('exit hooks', () => {
  it('importing the embedded database module installs no beforeExit hook (async-exit-hook forced exit 0)', async () => {
    const probe = `
      await import(${JSON.stringify(path.join(ROOT, 'src/db/embedded.ts'))});
      process.exitCode = 3;
      if (process.listenerCount('beforeExit') > 0) console.log('beforeExit hooked');`;
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', probe], { cwd: ROOT });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('close', (code) => resolve({ code, output }));
    });
    expect(output).not.toContain('beforeExit hooked');
    expect(code).toBe(3);
  });
});
