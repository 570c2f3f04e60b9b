// The dead letter handler, branch by branch, on real rows: a session job pg-boss gave up on ends
// its run FAILED with the reason that fits (worker lost, the last transient reason, expired); a
// malformed or orphaned letter is skipped; a run still in a browser is asked about again later;
// and a letter from a job the run no longer belongs to (handed back since) changes nothing.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { JobWithMetadata } from 'pg-boss';
import { describe, expect, it } from 'vitest';
import { acquireLease, releaseLease } from '../../src/db/leases-repo.ts';
import { runs } from '../../src/db/schema.ts';
import { createDeadLetterHandler, deadLetterReason } from '../../src/jobs/dead-letter-job.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeTask, recordingJobs } from '../support/fixtures.ts';
import { captureLog } from '../support/log-capture.ts';

const database = useTestDatabase();
const jobs = recordingJobs();
const logged = captureLog();
const handle = (letter: Partial<JobWithMetadata<unknown>>) =>
  createDeadLetterHandler({ db: database().db, jobs, log: logged.log })([letter as JobWithMetadata<unknown>]);

/** A run in `status` (pending: handed back with `reason`), with a job id, and its dead letter. */
async function deadRun(status: 'running' | 'pending' | 'completed', reason: string | null = null) {
  const { db } = database();
  const {
    task,
    runs: [run],
  } = await makeTask(db, [status]);
  const jobId = randomUUID();
  await db
    .update(runs)
    .set({ jobId, reasonCode: reason, reasonMessage: reason && `${reason} happened` })
    .where(eq(runs.id, run!.id));
  const data = { runId: run!.id, runNumber: run!.runNumber, taskId: task.id, accountId: run!.accountId };
  return { run: run!, jobId, letter: { id: randomUUID(), data, sourceId: jobId } };
}
const runRow = async (id: number) => (await database().db.select().from(runs).where(eq(runs.id, id)))[0]!;

describe('deadLetterReason', () => {
  it.each([
    ['running', null, null, 'worker_lost', 'the worker running this session stopped responding'],
    [
      'running',
      'navigation_timeout',
      'slow',
      'worker_lost',
      'the worker running this session stopped responding',
    ],
    [
      'pending',
      'navigation_timeout',
      'page took 30 s',
      'navigation_timeout',
      'page took 30 s (no attempts left)',
    ],
    ['pending', 'proxy_error', null, 'proxy_error', 'proxy_error (no attempts left)'],
    [
      'pending',
      'interrupted',
      'the worker shut down',
      'expired',
      'the session job expired before it could finish',
    ],
    ['pending', null, null, 'expired', 'the session job expired before it could finish'],
  ])('%s with reason %s (%s) → %s', (status, code, message, expected, expectedMessage) => {
    expect(deadLetterReason(status, code, message)).toEqual({ code: expected, message: expectedMessage });
  });
});

describe('the dead letter handler', () => {
  it('a run left RUNNING (its worker stopped heartbeating) fails as worker_lost, and says so', async () => {
    const { run, letter } = await deadRun('running');
    expect(await handle(letter)).toEqual({ failed: 'worker_lost' });
    expect(await runRow(run.id)).toMatchObject({ status: 'failed', reasonCode: 'worker_lost' });
    expect(logged.lines()).toContainEqual(
      expect.objectContaining({ msg: 'run failed by the queue', runId: run.id, reason: 'worker_lost' }),
    );
  });

  it('a run handed back after a transient failure fails with that reason, no attempts left', async () => {
    const { run, letter } = await deadRun('pending', 'navigation_timeout');
    expect(await handle(letter)).toEqual({ failed: 'navigation_timeout' });
    expect(await runRow(run.id)).toMatchObject({
      status: 'failed',
      reasonCode: 'navigation_timeout',
      reasonMessage: 'navigation_timeout happened (no attempts left)',
    });
  });

  it('a run handed back by a shutdown, whose job then expired, fails as expired', async () => {
    const { run, letter } = await deadRun('pending', 'interrupted');
    expect(await handle(letter)).toEqual({ failed: 'expired' });
    expect(await runRow(run.id)).toMatchObject({ status: 'failed', reasonCode: 'expired' });
  });

  it('a run still in a browser (its lease alive) is not failed: the letter is asked about again later', async () => {
    const { db } = database();
    const { run, letter } = await deadRun('running');
    const lease = await acquireLease(
      db,
      { accountId: run.accountId, runId: run.id, holder: 'an older attempt' },
      60,
    );
    try {
      await expect(handle(letter)).rejects.toThrow(`run ${run.id} is still in a browser`);
      expect((await runRow(run.id)).status).toBe('running');
    } finally {
      await releaseLease(db, lease!);
    }
    expect(await handle(letter)).toEqual({ failed: 'worker_lost' });
  });

  it('a letter from a job the run no longer belongs to (handed back with a new job) changes nothing', async () => {
    const { run, letter } = await deadRun('pending', 'interrupted');
    const before = await runRow(run.id);
    expect(await handle({ ...letter, sourceId: randomUUID() })).toEqual({ failed: 'nothing to do' });
    expect(await runRow(run.id)).toEqual(before);
  });

  it('a letter for a run already finished, or restarted since, changes nothing', async () => {
    const finished = await deadRun('completed');
    const before = await runRow(finished.run.id);
    expect(await handle(finished.letter)).toEqual({ failed: 'nothing to do' });
    expect(await runRow(finished.run.id)).toEqual(before);
    const restarted = await deadRun('running');
    await database()
      .db.update(runs)
      .set({ runNumber: restarted.run.runNumber + 1 })
      .where(eq(runs.id, restarted.run.id));
    expect(await handle(restarted.letter)).toEqual({ failed: 'nothing to do' });
    expect((await runRow(restarted.run.id)).status).toBe('running');
  });

  it('a malformed letter, or one whose run is gone, is skipped', async () => {
    expect(await handle({ id: randomUUID(), data: { runId: 'x' }, sourceId: null })).toEqual({
      skipped: 'malformed',
    });
    expect(
      await handle({
        id: randomUUID(),
        data: { runId: 987654, runNumber: 1, taskId: 1, accountId: 1 },
        sourceId: null,
      }),
    ).toEqual({ skipped: 'missing' });
  });
});
