/**
 * Live watch of one root (chokidar 5): a bin being written by an instrument appears as soon as its
 * `.adc` and `.hdr` exist (flagged partial while its `.roi` is missing or short), and is updated
 * when the `.roi` is complete. Events for one bin are coalesced (debounce) and then applied by
 * re-stat: a `.roi` that only grew updates the row without re-reading the `.adc`. The walk's rules
 * apply: any folder names but hidden and blacklisted ones; symbolic links are not followed by the
 * watcher, and a bin file that resolves outside the added folders is never read (the next index
 * reports it).
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Database } from 'better-sqlite3';
import { tryParseBinName } from '../../shared/ifcb/bin-id.ts';
import { listRoots, qcFlags } from './queries.ts';
import { deleteBins, loadStamp, onlyRoiChanged, sameStamps, updateRoiStamps, upsertBins } from './store.ts';
import type { CatalogueChange, RootRecord } from './types.ts';
import { isHidden, isInside, realFolders, type FileStamp, type FoundBin } from './walk.ts';
import type { IndexWorkerPool } from './worker-pool.ts';

export interface WatchOptions {
  /** Quiet time before a bin's changes are applied (ms). Default 300. */
  debounceMs?: number;
  /** Poll instead of native events (network shares); a number sets the interval in ms. */
  poll?: boolean | number;
  /** Errors while applying a change (the watch goes on). */
  onError?: (error: unknown) => void;
}

/** A running watch: `ready` resolves once the initial scan of the folder tree is done. */
export interface WatchHandle extends Disposable {
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

const BIN_FILE = /\.(adc|hdr|roi)$/;

/** The stamp of a bin file, or null when it is absent, not a file, or resolves outside `within`. */
async function stampOf(file: string, within: readonly string[]): Promise<FileStamp | null> {
  try {
    const target = await realpath(file);
    if (!within.some((w) => isInside(target, w))) return null;
    const s = await stat(target);
    return s.isFile() ? { size: s.size, mtimeMs: s.mtimeMs } : null;
  } catch {
    return null;
  }
}

/** Watch `root`; every applied change is reported to `onChange` after it is in the database. */
export function watchRoot(
  db: Database,
  pool: IndexWorkerPool,
  root: RootRecord,
  onChange: (change: CatalogueChange) => void,
  options: WatchOptions = {},
): WatchHandle {
  const debounceMs = options.debounceMs ?? 300;
  const within = realFolders(listRoots(db).map((r) => r.path));
  const timers = new Map<string, NodeJS.Timeout>();
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  /** folder ('/'-separated) + id of a bin file under the root, if it is one the rules accept. */
  const binOf = (file: string): { folder: string; id: string } | null => {
    if (!BIN_FILE.test(file)) return null;
    const rel = path.relative(root.path, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
    const parts = rel.split(path.sep);
    const name = parts.pop()!;
    const stem = name.slice(0, -4);
    const parsed = tryParseBinName(stem);
    if (!parsed || parsed.id !== stem) return null;
    if (parts.some((p) => isHidden(p) || root.blacklist.includes(p))) return null;
    return { folder: parts.join('/'), id: stem };
  };

  const apply = async (folder: string, id: string): Promise<void> => {
    const base = folder === '' ? path.join(root.path, id) : path.join(root.path, ...folder.split('/'), id);
    const [adc, hdr, roi] = await Promise.all([stampOf(`${base}.adc`, within), stampOf(`${base}.hdr`, within), stampOf(`${base}.roi`, within)]);
    if (closed) return;
    const stored = loadStamp(db, root.rootId, folder, id);
    if (adc === null || hdr === null) {
      if (stored) {
        deleteBins(db, [stored.key]);
        onChange({ type: 'removed', rootId: root.rootId, id, key: stored.key, qc: qcFlags(stored.qc) });
      }
      return;
    }
    const found: FoundBin = { folder, id, adc, hdr, roi };
    if (stored && sameStamps(found, stored)) return;
    if (stored && onlyRoiChanged(found, stored)) {
      const [qc] = updateRoiStamps(db, [{ stored, found }]);
      onChange({ type: 'updated', rootId: root.rootId, id, key: stored.key, qc: qcFlags(qc!) });
      return;
    }
    const { bins } = await pool.parse([base]);
    if (closed) return;
    const [key] = upsertBins(db, [{ rootId: root.rootId, found, parsed: bins[0]! }]);
    const now = loadStamp(db, root.rootId, folder, id);
    onChange({ type: stored ? 'updated' : 'added', rootId: root.rootId, id, key: key!, qc: qcFlags(now?.qc ?? 0) });
  };

  const schedule = (folder: string, id: string): void => {
    const slot = `${folder}/${id}`;
    clearTimeout(timers.get(slot));
    timers.set(
      slot,
      setTimeout(() => {
        timers.delete(slot);
        // Applied one at a time: two changes of one bin never race each other.
        chain = chain.then(() => apply(folder, id)).catch((e: unknown) => options.onError?.(e));
      }, debounceMs),
    );
  };

  const onFile = (file: string): void => {
    const bin = binOf(file);
    if (bin) schedule(bin.folder, bin.id);
  };

  // A removed folder takes its bins with it: re-check every catalogued bin under it.
  const onDirGone = (dir: string): void => {
    const rel = path.relative(root.path, dir).split(path.sep).join('/');
    const rows = (
      rel === ''
        ? db.prepare('SELECT folder, id FROM bins WHERE root_id = ?').all(root.rootId)
        : db.prepare("SELECT folder, id FROM bins WHERE root_id = ? AND (folder = ? OR substr(folder, 1, length(?) + 1) = ? || '/')").all(root.rootId, rel, rel, rel)
    ) as { folder: string; id: string }[];
    for (const r of rows) schedule(r.folder, r.id);
  };

  const watcher: FSWatcher = watch(root.path, {
    ignoreInitial: true,
    // A link could lead outside the library; folders reached through links are caught up by the next index.
    followSymlinks: false,
    // Never descend into hidden or blacklisted folders (e.g. .git/, skip/, beads/).
    ignored: (p: string) => p !== root.path && (isHidden(path.basename(p)) || root.blacklist.includes(path.basename(p))),
    ...(options.poll ? { usePolling: true, interval: typeof options.poll === 'number' ? options.poll : 1000 } : {}),
  });
  watcher.on('add', onFile);
  watcher.on('change', onFile);
  watcher.on('unlink', onFile);
  watcher.on('unlinkDir', onDirGone);
  watcher.on('error', (e) => options.onError?.(e));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
    await watcher.close();
    await chain;
  };
  return {
    ready,
    close,
    [Symbol.dispose]: () => void close(),
  };
}
