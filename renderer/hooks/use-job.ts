/**
 * Follow one background job of a dialog (label import, label export) from main's events: its progress, then how it
 * finished. Events may arrive before the request that started the job has answered with its id, so the latest
 * event of every job of the kind is kept and replayed when `follow` names it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { IfcbApi, IfcbEvent, JobKind } from '../../shared/ipc/contract.ts';

type JobEvent = Extract<IfcbEvent, { type: 'job-progress' | 'job-finished' }>;

export type JobPhase =
  | { name: 'idle' }
  | { name: 'running'; jobId: string; done: number; total: number; message?: string }
  | { name: 'finished'; jobId: string; outcome: 'ok' | 'failed' | 'cancelled'; summary?: string; error?: { code: string; message: string } };

function phaseOf(event: JobEvent): JobPhase {
  if (event.type === 'job-progress') return { name: 'running', jobId: event.jobId, done: event.done, total: event.total, ...(event.message === undefined ? {} : { message: event.message }) };
  return {
    name: 'finished',
    jobId: event.jobId,
    outcome: event.outcome,
    ...(event.summary === undefined ? {} : { summary: event.summary }),
    ...(event.error === undefined ? {} : { error: event.error }),
  };
}

export function useJob(api: IfcbApi, kind: JobKind): { phase: JobPhase; follow: (jobId: string) => void; reset: () => void } {
  const [phase, setPhase] = useState<JobPhase>({ name: 'idle' });
  const followed = useRef<string | null>(null);
  const latest = useRef(new Map<string, JobEvent>());

  useEffect(
    () =>
      api.onEvent((e) => {
        if ((e.type !== 'job-progress' && e.type !== 'job-finished') || e.kind !== kind) return;
        latest.current.set(e.jobId, e);
        if (e.jobId === followed.current) setPhase(phaseOf(e));
      }),
    [api, kind],
  );

  const follow = useCallback((jobId: string) => {
    followed.current = jobId;
    const early = latest.current.get(jobId);
    setPhase(early ? phaseOf(early) : { name: 'running', jobId, done: 0, total: 0 });
  }, []);
  const reset = useCallback(() => {
    followed.current = null;
    setPhase({ name: 'idle' });
  }, []);
  return { phase, follow, reset };
}
