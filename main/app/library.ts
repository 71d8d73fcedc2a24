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
import { openCatalogue, rebuildCatalogue, type Catalogue, type CatalogueOptions } from '../index/catalogue.ts';
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
