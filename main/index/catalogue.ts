/**
 * The catalogue: a better-sqlite3 index of every bin under the folders (roots) a user added, owned
 * by the main process. Queries are plain functions in queries.ts taking `catalogue.db`.
 *
 *   const catalogue = openCatalogue(defaultDatabasePath());   // database-path.ts; DB_CORRUPT / DB_LOCKED / DB_TOO_NEW
 *   const root = catalogue.addRoot('/data/ifcb');                // every bin below, any folder names
 *   await catalogue.index(undefined, { onProgress, signal });
 *   listBins(catalogue.reader, { search: 'IFCB134' }, { limit: 100 });
 */
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { IfcbError } from '../../shared/errors.ts';
import type { BinPaths } from '../ifcb/types.ts';
import { classifySqliteError, openDatabase, readOnlyView, withDbErrors, type ReadonlyDatabase } from './database.ts';
import { getBin, getRoot, listRoots } from './queries.ts';
import { restoreSalvage, salvageLibrary, type Restored } from './salvage.ts';
import { deleteRoot, upsertRoot } from './store.ts';
import type { CatalogueChange, IndexOptions, IndexSummary, RootOptions, RootRecord } from './types.ts';
import { DEFAULT_BLACKLIST } from './walk.ts';
import { watchRoot, type WatchHandle, type WatchOptions } from './watcher.ts';
import { IndexWorkerPool, defaultParseWorkers } from './worker-pool.ts';

export interface CatalogueOptions {
  /** Wait this long for another process's lock before DB_LOCKED (ms). Default 3000. */
  busyTimeoutMs?: number;
  /** Parse workers (default: cores − 1, 1…4). */
  workers?: number;
}

/** Open (creating if needed) the catalogue at `dbPath`. Throws DB_CORRUPT, DB_LOCKED, DB_READONLY, DB_TOO_NEW or DB_IO (`details.rebuild` says whether a rebuild helps). */
export function openCatalogue(dbPath: string, options: CatalogueOptions = {}): Catalogue {
  const file = path.resolve(dbPath);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
  } catch (e) {
    throw new IfcbError('DB_READONLY', `Cannot create the folder for the catalogue ${file}: ${(e as Error).message}`, { dbPath: file }, { cause: e });
  }
  if (existsSync(file) && !statSync(file).isFile()) {
    throw new IfcbError('DB_CORRUPT', `The catalogue path ${file} is not a file. Choose another --db file or remove it.`, { dbPath: file, rebuild: false });
  }
  const db = openDatabase(file, options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs });
  return new Catalogue(db, file, options);
}

/** What a rebuild of a damaged or too-new catalogue did: where the old file went and what it carried over (salvage.ts). */
export interface RebuildReport {
  /** Where the old file was moved (null: there was none). */
  movedTo: string | null;
  /** Library folders carried over, and those that could not be added again (gone, or no longer a folder). */
  roots: number;
  rootsNotFound: string[];
  restored: Restored;
  /** Rows of the old file left out for their shape, by table; tables whose reading stopped at damage. */
  malformed: Record<string, number>;
  damaged: string[];
}

/**
 * The "rebuild" offered with DB_CORRUPT / DB_TOO_NEW: moves the broken file aside (`<file>.broken-<time>`,
 * never deleted), creates a fresh catalogue and carries over what a person made that it could still read (folders,
 * results folders, calibrations, labels, class lists); `catalogue.rebuiltFrom` says what. Call `index()` next.
 */
export function rebuildCatalogue(dbPath: string, options: CatalogueOptions = {}): Catalogue {
  const file = path.resolve(dbPath);
  const salvage = salvageLibrary(file);
  let movedTo: string | null = null;
  if (existsSync(file)) {
    movedTo = `${file}.broken-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(file + suffix)) renameSync(file + suffix, movedTo + suffix);
    }
  }
  const catalogue = openCatalogue(file, options);
  try {
    const rootIds = new Map<string, number>();
    const rootsNotFound: string[] = [];
    for (const r of salvage.roots) {
      try {
        rootIds.set(r.path, catalogue.addRoot(r.path, { blacklist: r.blacklist }).rootId);
      } catch {
        // a root that no longer exists or has bad rules is not carried over (and named in the report)
        rootsNotFound.push(r.path);
      }
    }
    const restored = withDbErrors(file, () => restoreSalvage(catalogue.db, salvage, (rootPath) => rootIds.get(rootPath)));
    catalogue.rebuiltFrom = { movedTo, roots: rootIds.size, rootsNotFound, restored, malformed: salvage.malformed, damaged: salvage.damaged };
    return catalogue;
  } catch (e) {
    catalogue[Symbol.dispose]();
    throw e;
  }
}

/** An open catalogue. Close it (or `using`) when done: it owns worker threads and file watchers. */
export class Catalogue implements Disposable {
  private pool: IndexWorkerPool | null = null;
  private readonly watches = new Set<WatchHandle>();
  private running: Promise<unknown> = Promise.resolve();
  private readonly stops = new Set<AbortController>();
  private closed = false;
  /** The same connection for the read paths (the query functions in queries.ts): statements that write are refused. */
  readonly reader: ReadonlyDatabase;
  /** Set by `rebuildCatalogue` on the catalogue it made: what it carried over from the old file. */
  rebuiltFrom: RebuildReport | null = null;

  /** Use `openCatalogue`. */
  constructor(
    /** The writable better-sqlite3 handle (store.ts, maintenance); read through `reader`. */
    readonly db: Database,
    /** Absolute path of the database file. */
    readonly path: string,
    private readonly options: CatalogueOptions = {},
  ) {
    this.reader = readOnlyView(db);
  }

  private workers(): IndexWorkerPool {
    this.check();
    this.pool ??= new IndexWorkerPool(this.options.workers ?? defaultParseWorkers());
    return this.pool;
  }

  private check(): void {
    if (this.closed) throw new IfcbError('CANCELLED', 'the catalogue has been closed');
  }

  /** Add a folder to index (an existing root gets the new rules). FILE_MISSING / FILE_UNREADABLE / INVALID_ARGUMENT. */
  addRoot(rootPath: string, options: RootOptions = {}): RootRecord {
    this.check();
    const abs = path.resolve(rootPath);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new IfcbError('FILE_MISSING', `The folder ${abs} does not exist`, { path: abs }, { cause: e });
      throw new IfcbError('FILE_UNREADABLE', `The folder ${abs} cannot be read (${code ?? String(e)})`, { path: abs }, { cause: e });
    }
    if (!isDir) throw new IfcbError('INVALID_ARGUMENT', `${abs} is not a folder: the catalogue indexes folders (use "info" for one bin)`, { path: abs });
    const blacklist = [...(options.blacklist ?? DEFAULT_BLACKLIST)];
    const badName = blacklist.find((name) => name === '' || name === '.' || name === '..' || /[/\\]/.test(name));
    if (badName !== undefined) throw new IfcbError('INVALID_ARGUMENT', `"${badName}" is not a folder name: the blacklist names folders never entered (e.g. skip, beads)`, { blacklist });
    // Nested roots would list every bin twice (and double the time series): refuse them.
    for (const r of this.listRoots()) {
      const inside = (a: string, b: string): boolean => a.startsWith(b.endsWith(path.sep) ? b : b + path.sep);
      if (r.path !== abs && (inside(abs, r.path) || inside(r.path, abs))) {
        throw new IfcbError('INVALID_ARGUMENT', `${abs} overlaps the catalogued folder ${r.path}: remove that one first, or add folders that do not contain each other`, { path: abs, rootId: r.rootId });
      }
    }
    const rootId = withDbErrors(this.path, () => upsertRoot(this.db, abs, blacklist));
    return getRoot(this.reader, rootId)!;
  }

  /** Forget a root and its bins (the files are not touched). */
  removeRoot(rootId: number): boolean {
    this.check();
    return withDbErrors(this.path, () => deleteRoot(this.db, rootId));
  }

  listRoots(): RootRecord[] {
    return withDbErrors(this.path, () => listRoots(this.reader));
  }

  /** Index the given roots (default: all). Runs are serialized; a cancelled run resolves with `cancelled: true`. */
  index(rootIds?: readonly number[], options: IndexOptions = {}): Promise<IndexSummary> {
    // close() stops a running index too (as the caller's signal would): the app can quit at once.
    const stop = new AbortController();
    this.stops.add(stop);
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    const run = this.running
      .then(() => {
        const all = this.listRoots();
        const roots = rootIds === undefined ? all : rootIds.map((id) => all.find((r) => r.rootId === id) ?? unknownRoot(id));
        return this.workers()
          .index(
            this.path,
            roots.map((r) => r.rootId),
            { ...options, signal, ...(this.options.busyTimeoutMs !== undefined ? { busyTimeoutMs: this.options.busyTimeoutMs } : {}) },
          )
          .catch((e: unknown) => {
            throw classifySqliteError(e, this.path);
          });
      })
      .finally(() => this.stops.delete(stop));
    this.running = run.catch(() => undefined);
    return run;
  }

  /** Keep a root's bins up to date as files appear, grow and vanish. Dispose (or `close()`) to stop. */
  watch(rootId: number, onChange: (change: CatalogueChange) => void, options: WatchOptions = {}): WatchHandle {
    const root = getRoot(this.reader, rootId) ?? unknownRoot(rootId);
    const handle = watchRoot(this.db, this.workers(), root, onChange, options);
    const tracked: WatchHandle = {
      ready: handle.ready,
      close: async () => {
        this.watches.delete(tracked);
        await handle.close();
      },
      [Symbol.dispose]: () => void tracked.close(),
    };
    this.watches.add(tracked);
    return tracked;
  }

  /** The files of a bin (best copy when several roots hold it), or undefined when not catalogued. */
  pathOfBin(id: string): BinPaths | undefined {
    const bin = withDbErrors(this.path, () => getBin(this.reader, id));
    if (!bin) return undefined;
    return { base: bin.path, adc: `${bin.path}.adc`, hdr: `${bin.path}.hdr`, roi: `${bin.path}.roi` };
  }

  /** Forget every bin (roots are kept): the next `index()` reads everything again. */
  rebuild(): void {
    this.check();
    withDbErrors(this.path, () =>
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM bins').run();
        this.db.prepare('DELETE FROM walk_problems').run();
        this.db.prepare('UPDATE roots SET scan_started_at = NULL, scan_completed_at = NULL').run();
      })(),
    );
  }

  /** Stop watchers and workers, then close the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.stops) s.abort();
    await Promise.all([...this.watches].map((w) => w.close()));
    await this.running;
    await this.pool?.close();
    this.db.close();
  }

  /** Synchronous close for `using`: watchers and workers stop in the background, the database closes now. */
  [Symbol.dispose](): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.stops) s.abort();
    for (const w of [...this.watches]) void w.close();
    void this.pool?.close();
    this.db.close();
  }
}

function unknownRoot(rootId: number): never {
  throw new IfcbError('INVALID_ARGUMENT', `No root ${rootId} in the catalogue`, { rootId });
}
