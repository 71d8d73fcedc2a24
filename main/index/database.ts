/**
 * Opening the catalogue database: WAL, foreign keys, migrations against PRAGMA user_version, and the
 * sorting of SQLite failures into the error codes a user can act on (Signal's SqliteErrorKind idea):
 * DB_CORRUPT (not a database / malformed), DB_LOCKED (another process holds it), DB_READONLY,
 * DB_TOO_NEW (written by a newer version of the app), DB_IO (disk full or an I/O error). `details.rebuild`
 * says whether a rebuild can help (never for DB_IO).
 */
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { IfcbError } from '../../shared/errors.ts';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations/index.ts';

export type { Database };

/** The read half of a prepared statement: no `run()`. */
export interface ReadStatement {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
  pluck(toggle?: boolean): ReadStatement;
  raw(toggle?: boolean): ReadStatement;
}

/**
 * The catalogue as the read paths see it (queries.ts, the IPC adapter, `bins`/`timeline`): statements
 * without `run()`, and no `exec`/`pragma`/`transaction`. Writes take the writable `Database` (store.ts).
 */
export interface ReadonlyDatabase {
  readonly name: string;
  prepare(sql: string): ReadStatement;
}

/**
 * A read-only view of an open database: the type keeps writes out at compile time, and `prepare`
 * refuses any statement SQLite says would write (INTERNAL), so a cast cannot get one through either.
 */
export function readOnlyView(db: Database): ReadonlyDatabase {
  return {
    get name() {
      return db.name;
    },
    prepare(sql) {
      const statement = db.prepare(sql);
      if (!statement.readonly) throw new IfcbError('INTERNAL', `a read path prepared a statement that writes: ${sql.slice(0, 80)}`);
      return statement;
    },
  };
}

const REBUILD_HINT = 'Rebuild the catalogue (ifcb-viewer index --rebuild, or "Rebuild" in the app); your data files are not touched.';

/** The SQLite error code of a better-sqlite3 error (e.g. SQLITE_BUSY), if any. */
function sqliteCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** Turn a SQLite failure into an IfcbError with a code a caller can switch on; other errors pass through. */
export function classifySqliteError(e: unknown, dbPath: string): unknown {
  if (e instanceof IfcbError) return e;
  const code = sqliteCode(e);
  if (code === undefined) return e;
  const details = { dbPath, sqliteCode: code, rebuild: true };
  const cause = { cause: e };
  if (code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_') || code === 'SQLITE_NOTADB') {
    return new IfcbError('DB_CORRUPT', `The catalogue database ${dbPath} is damaged (${code}). ${REBUILD_HINT}`, details, cause);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new IfcbError(
      'DB_LOCKED',
      `The catalogue database ${dbPath} is in use by another process (${code}). Close the other IFCB Viewer or wait for its indexing to finish, or use another --db file.`,
      details,
      cause,
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return new IfcbError('DB_READONLY', `The catalogue database ${dbPath} cannot be written (${code}). Check the folder's permissions or choose another --db file.`, details, cause);
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL') {
    // the file is not damaged: rebuilding on a full or failing disk would only lose the catalogue
    return new IfcbError(
      'DB_IO',
      `The catalogue database ${dbPath} could not be read or written (disk full or I/O error: ${code}). Free some disk space or check the disk, then try again; your data files are not touched.`,
      { ...details, rebuild: false },
      cause,
    );
  }
  return e;
}

/** Run `fn`, rethrowing SQLite failures as IfcbError (DB_CORRUPT, DB_LOCKED, …). */
export function withDbErrors<T>(dbPath: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw classifySqliteError(e, dbPath);
  }
}

/** The database's schema version (PRAGMA user_version). */
export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Apply pending migrations up to `target` (default: the latest), each in its own transaction. */
export function migrate(db: Database, target: number = SCHEMA_VERSION, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new IfcbError(
      'DB_TOO_NEW',
      `The catalogue database ${db.name} has schema version ${current}, newer than this version of IFCB Viewer understands (${SCHEMA_VERSION}). Update IFCB Viewer, or rebuild the catalogue. ${REBUILD_HINT}`,
      { dbPath: db.name, version: current, supported: SCHEMA_VERSION, rebuild: true },
    );
  }
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return schemaVersion(db);
}

export interface OpenDatabaseOptions {
  /** How long to wait for another connection's lock before DB_LOCKED (ms). Default 3000. */
  busyTimeoutMs?: number;
  readonly?: boolean;
  /** Stop migrating at this version (tests of single migrations). */
  targetVersion?: number;
}

/** Open (creating if needed) and migrate a catalogue database; SQLite failures become IfcbErrors. */
export function openDatabase(dbPath: string, options: OpenDatabaseOptions = {}): Database {
  let db: Database | undefined;
  try {
    db = new BetterSqlite3(dbPath, { readonly: options.readonly ?? false, timeout: options.busyTimeoutMs ?? 3000 });
    // A garbage file only fails at the first read: do one now, inside the error mapping.
    const version = schemaVersion(db);
    if (!options.readonly) {
      if (version <= SCHEMA_VERSION) db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly) migrate(db, options.targetVersion ?? SCHEMA_VERSION);
    else if (version > SCHEMA_VERSION) migrate(db, version);
    // Make sure the whole file is readable as a B-tree before trusting it (cheap on our small schema).
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return db;
  } catch (e) {
    try {
      db?.close();
    } catch {
      // closing a broken handle may fail too; the original error is what matters
    }
    throw classifySqliteError(e, dbPath);
  }
}
