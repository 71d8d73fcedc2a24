/**
 * One indexing run over some roots: walk (worker) → compare stamps → parse what changed (workers) →
 * write in batched transactions (main thread, a few ms each) → remove vanished bins. Unchanged bins
 * cost one `stat` per file and no read; a bin whose `.adc` and `.hdr` are unchanged but whose `.roi`
 * grew is updated from its stored values. A kill at any point leaves whole batches: the next run
 * finds the written bins unchanged and continues with the rest.
 */
import type { Database } from 'better-sqlite3';
import { basePathOf, listRoots } from './queries.ts';
import {
  binSlot,
  deleteBins,
  loadStamps,
  markScanCompleted,
  markScanStarted,
  onlyRoiChanged,
  replaceWalkProblems,
  sameStamps,
  updateRoiStamps,
  upsertBins,
  type BinWrite,
  type StoredStamp,
} from './store.ts';
import type { IndexOptions, IndexSummary, RootRecord } from './types.ts';
import { QC_FLAGS } from './types.ts';
import type { FoundBin, FoundProblem } from './walk.ts';
import type { IndexWorkerPool } from './worker-pool.ts';

/** Bins per parse request (one structured-clone round trip and one transaction each). */
const PARSE_BATCH = 128;
/** Progress callbacks at most this often (ms). */
const PROGRESS_INTERVAL = 100;

interface Counters {
  found: number;
  unchanged: number;
  indexed: number;
  added: number;
  updated: number;
  removed: number;
  unreadable: number;
  problems: number;
  adcReads: number;
  hdrReads: number;
}

/** Index the given roots one after the other; resolves with what changed (cancelled runs resolve too). */
export async function runIndex(db: Database, pool: IndexWorkerPool, roots: readonly RootRecord[], options: IndexOptions = {}): Promise<IndexSummary> {
  const { signal, onProgress } = options;
  const t0 = performance.now();
  const c: Counters = { found: 0, unchanged: 0, indexed: 0, added: 0, updated: 0, removed: 0, unreadable: 0, problems: 0, adcReads: 0, hdrReads: 0 };
  let queued = 0;
  let walking = true;
  let lastProgress = 0;

  const progress = (force = false): void => {
    if (!onProgress) return;
    const now = performance.now();
    if (!force && now - lastProgress < PROGRESS_INTERVAL) return;
    lastProgress = now;
    const elapsedMs = now - t0;
    const perSecond = elapsedMs > 0 ? (c.indexed / elapsedMs) * 1000 : 0;
    const remaining = queued - c.indexed;
    onProgress({
      phase: force && !walking && remaining === 0 ? 'done' : walking ? 'walking' : 'indexing',
      found: c.found,
      unchanged: c.unchanged,
      indexed: c.indexed,
      remaining,
      perSecond,
      etaSeconds: walking || perSecond === 0 ? null : remaining / perSecond,
      elapsedMs,
    });
  };

  let cancelled = false;
  if (roots.length > 0) pool.warm();
  // Symbolic links may lead into any added folder, and nowhere else.
  const within = listRoots(db).map((r) => r.path);
  for (const root of roots) {
    if (signal?.aborted) {
      cancelled = true;
      break;
    }
    walking = true;
    const done = await indexRoot(db, pool, root, within, c, signal, () => progress(), (n) => (queued += n), () => (walking = false));
    if (!done) {
      cancelled = true;
      break;
    }
  }
  walking = false;
  progress(true);
  return {
    found: c.found,
    unchanged: c.unchanged,
    added: c.added,
    updated: c.updated,
    removed: c.removed,
    unreadable: c.unreadable,
    problems: c.problems,
    cancelled,
    elapsedMs: performance.now() - t0,
    filesRead: { adc: c.adcReads, hdr: c.hdrReads },
  };
}

/** Index one root; false when cancelled (nothing is deleted then: the next run resumes). */
async function indexRoot(
  db: Database,
  pool: IndexWorkerPool,
  root: RootRecord,
  within: readonly string[],
  c: Counters,
  signal: AbortSignal | undefined,
  progress: () => void,
  addQueued: (n: number) => void,
  walkFinished: () => void,
): Promise<boolean> {
  markScanStarted(db, root.rootId);
  const stored = loadStamps(db, root.rootId);
  const seen = new Set<string>();
  const problems: FoundProblem[] = [];
  const queue: FoundBin[] = [];
  const inflight = new Set<Promise<void>>();
  let failure: unknown = null;
  const maxInflight = pool.size * 2;

  const parseBatch = (batch: FoundBin[]): void => {
    const job = pool
      .parse(batch.map((f) => basePathOf(root.path, f.folder, f.id)))
      .then(({ bins, reads }) => {
        c.adcReads += reads.adc;
        c.hdrReads += reads.hdr;
        const writes: BinWrite[] = bins.map((parsed, i) => ({ rootId: root.rootId, found: batch[i]!, parsed }));
        upsertBins(db, writes);
        for (const w of writes) {
          if (stored.has(binSlot(w.found.folder, w.found.id))) c.updated++;
          else c.added++;
          if ((w.parsed.qc & QC_FLAGS.unreadable) !== 0) c.unreadable++;
        }
        c.indexed += batch.length;
        progress();
      })
      .catch((e: unknown) => {
        failure ??= e;
      })
      .finally(() => inflight.delete(job));
    inflight.add(job);
  };

  // Sends full batches while there is room; with `all`, the last partial one too.
  const pump = (all: boolean): void => {
    while (!signal?.aborted && failure === null && inflight.size < maxInflight && (queue.length >= PARSE_BATCH || (all && queue.length > 0))) {
      parseBatch(queue.splice(0, PARSE_BATCH));
    }
  };

  const onBins = (bins: FoundBin[]): void => {
    c.found += bins.length;
    const roiOnly: { stored: StoredStamp; found: FoundBin }[] = [];
    const before = queue.length;
    for (const f of bins) {
      const slot = binSlot(f.folder, f.id);
      seen.add(slot);
      const s = stored.get(slot);
      if (s && sameStamps(f, s)) c.unchanged++;
      else if (s && onlyRoiChanged(f, s)) roiOnly.push({ stored: s, found: f });
      else queue.push(f);
    }
    if (roiOnly.length > 0) {
      updateRoiStamps(db, roiOnly);
      c.updated += roiOnly.length;
    }
    addQueued(queue.length - before);
    pump(false);
    progress();
  };

  let walkError: unknown = null;
  try {
    // With nothing stored for this root, stat-ing in the walk is wasted: the parser stamps what it reads.
    await pool.walk(root.path, { blacklist: root.blacklist, within }, onBins, (p) => problems.push(p), signal, stored.size > 0);
  } catch (e) {
    walkError = e;
  }
  walkFinished();
  // Drain the queue: keep `maxInflight` batches in flight until everything is parsed.
  while (!signal?.aborted && failure === null && (queue.length > 0 || inflight.size > 0)) {
    pump(true);
    if (inflight.size > 0) await Promise.race(inflight);
  }
  await Promise.all(inflight);
  if (failure !== null) throw failure;
  if (signal?.aborted) return false;
  if (walkError !== null) throw walkError;

  // Vanished bins: not seen, and not inside a folder that could not be read this time.
  const unreadableFolders = problems.filter((p) => p.kind === 'folder').map((p) => p.path);
  const rootUnreadable = unreadableFolders.includes('.');
  const vanished: number[] = [];
  if (!rootUnreadable) {
    for (const [slot, s] of stored) {
      if (seen.has(slot)) continue;
      if (unreadableFolders.some((f) => slot.startsWith(`${f}/`))) continue;
      vanished.push(s.key);
    }
  }
  c.removed += deleteBins(db, vanished);
  replaceWalkProblems(db, root.rootId, problems);
  c.problems += problems.length;
  markScanCompleted(db, root.rootId);
  return true;
}
