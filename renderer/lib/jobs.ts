/** Background jobs (indexing, export, label import/export) as the page tracks them from main's events. */
import type { IfcbEvent, JobKind } from '../../shared/ipc/contract.ts';

export interface JobState {
  jobId: string;
  kind: JobKind;
  done: number;
  total: number;
  message?: string;
  finished: boolean;
  outcome?: 'ok' | 'failed' | 'cancelled';
  summary?: string;
  error?: { code: string; message: string };
}

/** Finished jobs kept (newest last) for their outcome; older ones are dropped so the list stays small. */
export const KEPT_FINISHED_JOBS = 5;

/** Fold one event into the job list: every running job, plus the last `KEPT_FINISHED_JOBS` finished ones. */
export function applyJobEvent(jobs: readonly JobState[], event: IfcbEvent): readonly JobState[] {
  if (event.type !== 'job-progress' && event.type !== 'job-finished') return jobs;
  const i = jobs.findIndex((j) => j.jobId === event.jobId);
  const base: JobState = i >= 0 ? jobs[i]! : { jobId: event.jobId, kind: event.kind, done: 0, total: 0, finished: false };
  const next: JobState =
    event.type === 'job-progress'
      ? { ...base, done: event.done, total: event.total, ...(event.message !== undefined ? { message: event.message } : {}) }
      : {
          ...base,
          finished: true,
          outcome: event.outcome,
          ...(event.summary !== undefined ? { summary: event.summary } : {}),
          ...(event.error !== undefined ? { error: event.error } : {}),
        };
  if (!next.finished) return i >= 0 ? jobs.map((j, k) => (k === i ? next : j)) : [...jobs, next];
  // A job that finishes moves to the end, so finished jobs are in the order they finished.
  const all = [...jobs.filter((_, k) => k !== i), next];
  let finished = all.filter((j) => j.finished).length;
  if (finished <= KEPT_FINISHED_JOBS) return all;
  // Drop the earliest finished ones.
  return all.filter((j) => !j.finished || finished-- <= KEPT_FINISHED_JOBS);
}

/** What a running job is doing, for the status bar. */
export const JOB_VERBS: Readonly<Record<JobKind, string>> = {
  reindex: 'Indexing',
  export: 'Exporting',
  'labels-import': 'Importing labels',
  'labels-export': 'Exporting labels',
};
