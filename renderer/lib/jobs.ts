/** Background jobs (indexing, export) as the page tracks them from main's events. */
import type { IfcbEvent } from '../../shared/ipc/contract.ts';

export interface JobState {
  jobId: string;
  kind: 'reindex' | 'export';
  done: number;
  total: number;
  message?: string;
  finished: boolean;
  outcome?: 'ok' | 'failed' | 'cancelled';
  summary?: string;
  error?: { code: string; message: string };
}

/** Fold one event into the job list (finished jobs are kept until `pruneJobs`). */
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
  return i >= 0 ? jobs.map((j, k) => (k === i ? next : j)) : [...jobs, next];
}
