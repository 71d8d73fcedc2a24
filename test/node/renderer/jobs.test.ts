/** The page's job list: running jobs always, finished ones only the last few, in the order they finished. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJobEvent, KEPT_FINISHED_JOBS } from '../../../renderer/lib/jobs.ts';
import type { JobState } from '../../../renderer/lib/jobs.ts';
import type { IfcbEvent } from '../../../shared/ipc/contract.ts';

const progress = (jobId: string, done: number): IfcbEvent => ({ type: 'job-progress', jobId, kind: 'export', done, total: 10 });
const finished = (jobId: string): IfcbEvent => ({ type: 'job-finished', jobId, kind: 'export', outcome: 'ok', summary: `${jobId} done` });

test('progress updates a job in place; other events leave the list untouched', () => {
  let jobs: readonly JobState[] = [];
  jobs = applyJobEvent(jobs, progress('a', 1));
  jobs = applyJobEvent(jobs, progress('b', 2));
  jobs = applyJobEvent(jobs, progress('a', 5));
  assert.deepEqual(jobs, [
    { jobId: 'a', kind: 'export', done: 5, total: 10, finished: false },
    { jobId: 'b', kind: 'export', done: 2, total: 10, finished: false },
  ]);
  assert.equal(applyJobEvent(jobs, { type: 'catalogue-changed' }), jobs);
});

test(`keeps every running job and only the last ${KEPT_FINISHED_JOBS} finished ones, by finishing order`, () => {
  assert.equal(KEPT_FINISHED_JOBS, 5);
  let jobs: readonly JobState[] = [];
  jobs = applyJobEvent(jobs, progress('long', 1)); // starts first, finishes last
  jobs = applyJobEvent(jobs, progress('running', 1));
  for (let i = 1; i <= 8; i++) {
    jobs = applyJobEvent(jobs, progress(`j${i}`, 1));
    jobs = applyJobEvent(jobs, finished(`j${i}`));
  }
  assert.deepEqual(jobs.map((j) => j.jobId), ['long', 'running', 'j4', 'j5', 'j6', 'j7', 'j8']);
  jobs = applyJobEvent(jobs, finished('long'));
  assert.deepEqual(jobs.map((j) => j.jobId), ['running', 'j5', 'j6', 'j7', 'j8', 'long']);
  assert.deepEqual(jobs.at(-1), { jobId: 'long', kind: 'export', done: 1, total: 10, finished: true, outcome: 'ok', summary: 'long done' });
  assert.equal(jobs.filter((j) => !j.finished).length, 1);
});
