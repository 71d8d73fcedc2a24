/**
 * A small pool of index workers: one walks a root at a time, the others parse batches of bins.
 * Workers start lazily and are terminated by `close()` (or when a walk is cancelled).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { IfcbError } from '../../shared/errors.ts';
import type { ParsedBin } from './store.ts';
import type { FoundBin, FoundProblem, WalkRules } from './walk.ts';
import type { IndexOptions, IndexSummary } from './types.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

/**
 * Start an index worker. The worker sits beside this file: `index-worker.ts` when running from source
 * (tests, tsx CLI), `index-worker.js` when bundled (emit it as its own entry next to the bundle).
 * Node 20 ignores `--import` in a worker's execArgv, so from source the worker is a two-line
 * bootstrap that registers tsx's loader and then imports the .ts file.
 */
export function spawnIndexWorker(): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './index-worker.ts' : './index-worker.js', import.meta.url);
  if (!fromSource) return new Worker(url);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: [] });
}

/**
 * Default number of parse workers: one per core but one, 1…4. Parsing a small bin costs about as
 * much as opening its two files, so more threads than cores only add contention (measured on the
 * 2-core CI machine: 1 worker parsed 10,000 bins as fast as 2, and 3 were slower).
 */
export function defaultParseWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

interface Pending {
  resolve(reply: WorkerReply): void;
  reject(error: Error): void;
  onReply?(reply: WorkerReply): void;
}

class Channel {
  readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  busy = 0;
  private dead: Error | null = null;

  constructor() {
    this.worker = spawnIndexWorker();
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.job);
      if (!p) return;
      if (reply.type === 'found' || reply.type === 'problem' || reply.type === 'progress') {
        p.onReply?.(reply);
        return;
      }
      this.pending.delete(reply.job);
      this.busy--;
      // An idle worker must not keep the process alive; a busy one must (the caller awaits it).
      if (this.busy === 0) this.worker.unref();
      if (reply.type === 'failed') p.reject(new IfcbError(reply.error.code, reply.error.message, reply.error.details));
      else p.resolve(reply);
    });
    const fail = (e: Error): void => {
      this.dead ??= e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      this.busy = 0;
    };
    this.worker.on('error', (e) => fail(new IfcbError('INTERNAL', `index worker failed: ${e.message}`, undefined, { cause: e })));
    this.worker.on('exit', (code) => fail(new IfcbError('CANCELLED', `index worker stopped (exit code ${code})`)));
  }

  get alive(): boolean {
    return this.dead === null;
  }

  request(req: WorkerRequest, onReply?: (reply: WorkerReply) => void): Promise<WorkerReply> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.busy++ === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(req.job, { resolve, reject, ...(onReply ? { onReply } : {}) });
      this.worker.postMessage(req);
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

/** The catalogue's worker threads: walkers, parsers and the index coordinator. */
export class IndexWorkerPool {
  private readonly parsers: Channel[] = [];
  private readonly walkers = new Set<Channel>();
  /** An idle walker kept for the next walk (worker start-up costs ~0.1 s under tsx). */
  private spareWalker: Channel | null = null;
  private coordinator: Channel | null = null;
  private nextJob = 1;
  private closed = false;

  constructor(readonly size = defaultParseWorkers()) {}

  /** Walk a root in a worker of its own; bins and problems stream to the callbacks. Rejects with CANCELLED on abort. */
  async walk(root: string, rules: WalkRules, onBins: (bins: FoundBin[]) => void, onProblem: (p: FoundProblem) => void, signal?: AbortSignal, stamps = true): Promise<void> {
    this.checkOpen();
    const channel = this.spareWalker?.alive ? this.spareWalker : new Channel();
    this.spareWalker = null;
    this.walkers.add(channel);
    const abort = (): void => void channel.terminate();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      if (signal?.aborted) throw new IfcbError('CANCELLED', 'indexing was cancelled');
      await channel.request({ type: 'walk', job: this.nextJob++, root, rules: { blacklist: [...rules.blacklist], within: [...rules.within] }, stamps }, (reply) => {
        if (reply.type === 'found') onBins(reply.bins);
        else if (reply.type === 'problem') onProblem(reply.problem);
      });
    } catch (e) {
      if (signal?.aborted) throw new IfcbError('CANCELLED', 'indexing was cancelled', undefined, { cause: e });
      throw e;
    } finally {
      signal?.removeEventListener('abort', abort);
      this.walkers.delete(channel);
      if (channel.alive && !this.closed && this.spareWalker === null) this.spareWalker = channel;
      else await channel.terminate();
    }
  }

  /** Start every parse worker now (start-up takes ~0.1–0.3 s), e.g. while a walk is under way. */
  warm(): void {
    this.checkOpen();
    while (this.parsers.length < this.size) this.parsers.push(new Channel());
  }

  /** Parse bins (base paths) on the least busy parse worker. */
  async parse(bases: string[]): Promise<{ bins: ParsedBin[]; reads: { adc: number; hdr: number } }> {
    this.checkOpen();
    for (let i = this.parsers.length - 1; i >= 0; i--) if (!this.parsers[i]!.alive) this.parsers.splice(i, 1);
    let channel = this.parsers.reduce<Channel | undefined>((best, c) => (best === undefined || c.busy < best.busy ? c : best), undefined);
    if (channel === undefined || (channel.busy > 0 && this.parsers.length < this.size)) {
      channel = new Channel();
      this.parsers.push(channel);
    }
    const reply = await channel.request({ type: 'parse', job: this.nextJob++, bases });
    if (reply.type !== 'parsed') throw new IfcbError('INTERNAL', `index worker answered ${reply.type} to a parse request`);
    return { bins: reply.bins, reads: reply.reads };
  }

  /**
   * Run a whole index in a coordinator worker (its own database connection, its own parse workers),
   * so that not even the batch writes and WAL syncs happen on this thread. Progress is forwarded;
   * aborting `signal` asks the worker to stop after its current batches (the summary says cancelled).
   */
  async index(dbPath: string, rootIds: number[], options: IndexOptions & { busyTimeoutMs?: number } = {}): Promise<IndexSummary> {
    this.checkOpen();
    if (!this.coordinator?.alive) this.coordinator = new Channel();
    const channel = this.coordinator;
    const job = this.nextJob++;
    const cancel = (): void => channel.worker.postMessage({ type: 'cancel', job: this.nextJob++, target: job } satisfies WorkerRequest);
    options.signal?.addEventListener('abort', cancel, { once: true });
    try {
      const reply = await channel.request(
        { type: 'index', job, dbPath, rootIds, workers: this.size, busyTimeoutMs: options.busyTimeoutMs ?? 3000 },
        (r) => {
          if (r.type === 'progress') options.onProgress?.(r.progress);
        },
      );
      if (reply.type !== 'indexed') throw new IfcbError('INTERNAL', `index worker answered ${reply.type} to an index request`);
      return reply.summary;
    } finally {
      options.signal?.removeEventListener('abort', cancel);
    }
  }

  /** Stop every worker. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.parsers, ...this.walkers, ...(this.spareWalker ? [this.spareWalker] : []), ...(this.coordinator ? [this.coordinator] : [])];
    this.spareWalker = null;
    this.coordinator = null;
    this.parsers.length = 0;
    this.walkers.clear();
    await Promise.all(all.map((c) => c.terminate()));
  }

  private checkOpen(): void {
    if (this.closed) throw new IfcbError('CANCELLED', 'the catalogue has been closed');
  }
}
