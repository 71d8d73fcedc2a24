/**
 * Following a root's results folders live (chokidar 5, like the data folders): when a product file appears,
 * changes or goes, the root's recorded products are refreshed once the burst is over and `onChange` runs.
 */
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Database } from 'better-sqlite3';
import { classifyProductName } from './discover.ts';
import { refreshRootProducts, resultsFolders } from './product-store.ts';

export interface ResultsWatch {
  /** Resolves once the initial scan of every folder is done. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** Quiet time before a burst of product-file events is applied (ms). */
const DEBOUNCE_MS = 300;

export function watchResultsFolders(db: Database, rootId: number, onChange: () => void, onError: (e: unknown) => void = () => undefined): ResultsWatch {
  const folders = resultsFolders(db, rootId);
  let timer: NodeJS.Timeout | null = null;
  const apply = (): void => {
    timer = null;
    try {
      refreshRootProducts(db, rootId);
      onChange();
    } catch (e) {
      // a failed refresh (database busy or closed) leaves the old record; the watch goes on
      onError(e);
    }
  };
  const onFile = (file: string): void => {
    if (classifyProductName(path.basename(file)) === null) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(apply, DEBOUNCE_MS);
    timer.unref();
  };
  const watchers: FSWatcher[] = folders.map((folder) => {
    const w = watch(folder, { ignoreInitial: true, ignored: (p) => path.basename(p).startsWith('.') && p !== folder });
    w.on('add', onFile);
    w.on('change', onFile);
    w.on('unlink', onFile);
    w.on('error', onError);
    return w;
  });
  const ready = Promise.all(watchers.map((w) => new Promise<void>((resolve) => w.once('ready', () => resolve())))).then(() => undefined);
  return {
    ready,
    async close() {
      if (timer !== null) clearTimeout(timer);
      await Promise.all(watchers.map((w) => w.close()));
    },
  };
}
