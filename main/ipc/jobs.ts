/**
 * Long-running work started over IPC (reindex, export, label import/export): each job gets an id, an AbortController and events
 * (`job-progress`, then exactly one `job-finished`). The request returns the id at once; the page follows the
 * events, and `export:cancel` aborts through the registry.
 */
import { randomBytes } from 'node:crypto';
import { isIfcbError } from '../../shared/errors.ts';
import type { JobKind } from '../../shared/ipc/contract.ts';
import type { EventHub } from './events.ts';

export type { JobKind } from '../../shared/ipc/contract.ts';

export interface JobControls {
  jobId: string;
  signal: AbortSignal;
  /** Report progress (throttled to one event per 100 ms, except the last). */
  progress(done: number, total: number, message?: string): void;
}

interface RunningJob {
  kind: JobKind;
  controller: AbortController;
  done: Promise<void>;
}

const PROGRESS_INTERVAL_MS = 100;

export class JobRegistry {
  private readonly running = new Map<string, RunningJob>();

  constructor(private readonly events: EventHub) {}

  /** Start `work` in the background; resolves to its id immediately. `work` returns a short summary. */
  start(kind: JobKind, work: (job: JobControls) => Promise<string>): string {
    const jobId = `${kind}-${randomBytes(9).toString('base64url')}`;
    const controller = new AbortController();
    let last = 0;
    const controls: JobControls = {
      jobId,
      signal: controller.signal,
      progress: (done, total, message) => {
        const now = Date.now();
        if (done < total && now - last < PROGRESS_INTERVAL_MS) return;
        last = now;
        this.events.emit({ type: 'job-progress', jobId, kind, done, total, ...(message === undefined ? {} : { message }) });
      },
    };
    const done = (async () => {
      try {
        const summary = await work(controls);
        this.events.emit({ type: 'job-finished', jobId, kind, outcome: controller.signal.aborted ? 'cancelled' : 'ok', summary });
      } catch (e) {
        const cancelled = controller.signal.aborted || isIfcbError(e, 'CANCELLED');
        if (!cancelled && !isIfcbError(e)) console.error(`[ifcb] job ${jobId} failed`, e);
        const error = isIfcbError(e) ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: 'The job failed; see the application log.' };
        this.events.emit({ type: 'job-finished', jobId, kind, outcome: cancelled ? 'cancelled' : 'failed', ...(cancelled ? {} : { error }) });
      } finally {
        this.running.delete(jobId);
      }
    })();
    this.running.set(jobId, { kind, controller, done });
    return jobId;
  }

  /** Abort a running job of this kind; false when there is none with that id. */
  cancel(jobId: string, kind: JobKind): boolean {
    const job = this.running.get(jobId);
    if (!job || job.kind !== kind) return false;
    job.controller.abort();
    return true;
  }

  /** Wait for a job to finish (tests, shutdown). */
  async settle(jobId: string): Promise<void> {
    await this.running.get(jobId)?.done;
  }

  /** Abort everything and wait (app quit, bridge close). */
  async dispose(): Promise<void> {
    const jobs = [...this.running.values()];
    for (const j of jobs) j.controller.abort();
    await Promise.allSettled(jobs.map((j) => j.done));
  }

  get size(): number {
    return this.running.size;
  }
}
