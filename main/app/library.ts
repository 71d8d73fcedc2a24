/**
 * The library database, opened one way for every front end: the Electron shell, browser mode (`npm start`) and each
 * library command of the CLI. Whoever opens it names the owner that closes it — a CLI command run's
 * `DisposableStore` (its one `dispose()` closes the database however the command ends: done, failed, Ctrl-C) or the
 * composed app core's `libraryStore` (closed after the jobs and watchers that use it):
 *   const catalogue = openLibrary(owner, dbPath, { existing: true });
 *
 * This module loads better-sqlite3, a native module: import it only where a library is used, so that commands on
 * files alone (`ifcb-viewer info`) start without it.
 */
import { isIfcbError } from '../../shared/errors.ts';
import { openCatalogue, rebuildCatalogue, type Catalogue, type CatalogueOptions, type RebuildReport } from '../index/catalogue.ts';
import { openDatabase, type Database } from '../index/database.ts';
import { libraryPath } from '../index/database-path.ts';
import type { Teardown } from './disposable-store.ts';

export { libraryPath };

/** What closes the library: a `DisposableStore` (a command run, the app core's `libraryStore`). */
export interface LibraryOwner {
  add(name: string, teardown: Teardown): void;
}

export interface LibraryOptions extends CatalogueOptions {
  /** FILE_MISSING when there is no database yet, instead of creating an empty one (commands that only read). */
  existing?: boolean;
  /** Start afresh: a readable catalogue forgets every bin (its folders are kept); a damaged or too-new one is moved aside. */
  rebuild?: boolean;
}

/** The catalogue (bins, folders, index workers, watchers) at `db` or the default path; `owner` closes it. */
export function openLibrary(owner: LibraryOwner, db: string | undefined, options: LibraryOptions = {}): Catalogue {
  const { existing, rebuild, ...catalogueOptions } = options;
  const dbPath = libraryPath(db, { existing: existing ?? false });
  const catalogue = rebuild ? openAfresh(dbPath, catalogueOptions) : openCatalogue(dbPath, catalogueOptions);
  owner.add('library database', () => catalogue.close());
  return catalogue;
}

/**
 * The answer to a damaged or too-new catalogue (the desktop app's "Rebuild the library"): the file is moved aside,
 * never deleted, and a fresh one keeps the folders it could still read; `owner` closes it.
 */
export function rebuildLibrary(owner: LibraryOwner, dbPath: string, options: CatalogueOptions = {}): Catalogue {
  const catalogue = rebuildCatalogue(dbPath, options);
  owner.add('library database', () => catalogue.close());
  return catalogue;
}

/** The database alone (labels, results folders, calibrations): no index workers start; `owner` closes it. */
export function openLibraryDatabase(owner: LibraryOwner, db: string | undefined, options: Pick<LibraryOptions, 'existing'> = {}): Database {
  const database = openDatabase(libraryPath(db, options));
  owner.add('library database', () => database.close());
  return database;
}

function openAfresh(dbPath: string, options: CatalogueOptions): Catalogue {
  try {
    const catalogue = openCatalogue(dbPath, options);
    try {
      catalogue.rebuild();
    } catch (e) {
      void catalogue.close();
      throw e;
    }
    return catalogue;
  } catch (e) {
    if (isIfcbError(e) && e.details?.['rebuild'] === true) return rebuildCatalogue(dbPath, options);
    throw e;
  }
}

/** "1 label" / "1,204 labels". */
function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** The salvaged tables in words. */
const TABLE_WORDS: Record<string, string> = { roots: 'library folders', results_folders: 'results folders', calibrations: 'calibrations', labels: 'labels', class_lists: 'class lists' };

/** What a rebuild did, in lines for the CLI and the desktop app's message after "Rebuild the library". */
export function describeRebuild(report: RebuildReport): string[] {
  const words = (table: string) => TABLE_WORDS[table] ?? table;
  const lines: string[] = [];
  if (report.movedTo) lines.push(`The old library file was moved to ${report.movedTo}.`);
  const r = report.restored;
  const carried = [
    count(report.roots, 'library folder', 'library folders'),
    count(r.labels, 'label', 'labels'),
    count(r.resultsFolders, 'results folder', 'results folders'),
    count(r.calibrations, 'calibration', 'calibrations'),
    count(r.classLists, 'class list', 'class lists'),
  ];
  lines.push(`Carried over: ${carried.join(', ')}.`);
  if (report.rootsNotFound.length > 0) lines.push(`Not found any more, so not carried over: ${report.rootsNotFound.join(', ')}.`);
  const malformed = Object.entries(report.malformed).map(([table, n]) => `${count(n, 'entry', 'entries')} of ${words(table)}`);
  if (malformed.length > 0) lines.push(`Left out as unreadable: ${malformed.join(', ')}.`);
  if (report.damaged.length > 0) lines.push(`Could not be read, whole or in part, from the old file: ${report.damaged.map(words).join(', ')}.`);
  return lines;
}
