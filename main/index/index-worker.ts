/**
 * Index worker (node:worker_threads), in one of three roles per request (worker-protocol.ts):
 * - coordinator ('index'): runs a whole index with its own database connection and its own pool of
 *   walk/parse workers, posting progress; so the app's main thread does no indexing I/O at all;
 * - walker ('walk') and parser ('parse'): synchronous file work for a coordinator or a live watch.
 */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { IfcbError, isIfcbError } from '../../shared/errors.ts';
import { classifySqliteError, openDatabase } from './database.ts';
import { runIndex } from './indexer.ts';
import { filesRead, parseBin } from './parse-bin.ts';
import { listRoots } from './queries.ts';
import { IndexWorkerPool } from './worker-pool.ts';
import { walkRoot } from './walk.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('index-worker.ts must run as a worker thread');

/** Niceness of index workers (Linux): below the app's threads and other apps' UI, not starved. */
const WORKER_NICE = 5;

// Background work: on Linux, nice is per thread, so lowering it here keeps the main thread (the
// app's event loop) first in line for the CPU. Elsewhere it would renice the whole process: skip.
if (process.platform === 'linux') {
  try {
    setPriority(WORKER_NICE);
  } catch {
    // not permitted in some sandboxes; indexing still works at normal priority
  }
}

function post(reply: WorkerReply): void {
  port!.postMessage(reply);
}

/** Index runs in progress in this worker (coordinator role), by job. */
const running = new Map<number, AbortController>();
/** The coordinator's own pool of walk/parse workers, kept between runs (start-up is not free). */
let pool: IndexWorkerPool | null = null;

async function coordinate(request: Extract<WorkerRequest, { type: 'index' }>): Promise<void> {
  const controller = new AbortController();
  running.set(request.job, controller);
  let db: Database | undefined;
  try {
    db = openDatabase(request.dbPath, { busyTimeoutMs: request.busyTimeoutMs });
    const all = listRoots(db);
    const roots = request.rootIds.map((id) => all.find((r) => r.rootId === id)).filter((r) => r !== undefined);
    if (pool === null || pool.size !== request.workers) {
      await pool?.close();
      pool = new IndexWorkerPool(request.workers);
    }
    const summary = await runIndex(db, pool, roots, {
      signal: controller.signal,
      onProgress: (progress) => post({ type: 'progress', job: request.job, progress }),
    });
    post({ type: 'indexed', job: request.job, summary });
  } catch (e) {
    const err = classifySqliteError(e, request.dbPath);
    const info = isIfcbError(err) ? err : new IfcbError('INTERNAL', err instanceof Error ? err.message : String(err));
    post({ type: 'failed', job: request.job, error: info.toJSON() });
  } finally {
    running.delete(request.job);
    db?.close();
  }
}

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'index') {
    void coordinate(request);
    return;
  }
  if (request.type === 'cancel') {
    running.get(request.target)?.abort();
    return;
  }
  try {
    if (request.type === 'walk') {
      walkRoot(request.root, request.rules, {
        onBins: (bins) => post({ type: 'found', job: request.job, bins }),
        onProblem: (problem) => post({ type: 'problem', job: request.job, problem }),
      }, { stamps: request.stamps });
      post({ type: 'walked', job: request.job });
    } else {
      const before = { ...filesRead };
      const bins = request.bases.map((base) => parseBin(base));
      post({ type: 'parsed', job: request.job, bins, reads: { adc: filesRead.adc - before.adc, hdr: filesRead.hdr - before.hdr } });
    }
  } catch (e) {
    const err = isIfcbError(e) ? e : new IfcbError('INTERNAL', e instanceof Error ? e.message : String(e));
    post({ type: 'failed', job: request.job, error: err.toJSON() });
  }
});
