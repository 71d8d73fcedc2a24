/**
 * What a rebuild carries from a damaged or too-new catalogue into the fresh one: what a person made, which indexing
 * cannot find again — the library folders (with their skip lists), their results folders, the instruments'
 * calibrations, the labels (with who and when) and the imported class lists. Bins, products and class counts are
 * found again by indexing; the undo history of labels is not carried.
 *
 * The old file is read raw and read-only, table by table and row by row: a table that the damage reaches keeps the
 * rows read before it and is named, a row of the wrong shape is left out and counted, so the rebuild can say what it
 * could not carry.
 */
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { writeCalibration } from './calibration-store.ts';

export interface SalvagedRoot {
  path: string;
  blacklist: string[];
}

export interface SalvagedLabel {
  binId: string;
  roi: number;
  label: string | null;
  annotator: string;
  atMs: number;
}

/** What could be read from the old file. */
export interface Salvage {
  roots: SalvagedRoot[];
  resultsFolders: { rootPath: string; path: string }[];
  calibrations: { instrument: number; pxPerUm: number; updatedAt: number }[];
  labels: SalvagedLabel[];
  classLists: { name: string; classes: string[]; source: string; atMs: number }[];
  /** Rows left out for their shape, by table. */
  malformed: Record<string, number>;
  /** Tables whose reading stopped at damage (or that could not be read at all): rows past it are lost. */
  damaged: string[];
}

const isText = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const textArray = (json: unknown): string[] | null => {
  if (!isText(json)) return null;
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) && value.every(isText) ? value : null;
  } catch {
    return null;
  }
};

type Reading = Pick<Salvage, 'malformed' | 'damaged'>;

type Row = Record<string, unknown>;

/** The rows of `sql` until the end or the first error (damage). */
function readRows(db: Database, sql: string): { rows: Row[]; complete: boolean } {
  const rows: Row[] = [];
  try {
    for (const row of db.prepare(sql).iterate() as Iterable<Row>) rows.push(row);
    return { rows, complete: true };
  } catch {
    return { rows, complete: false };
  }
}

/**
 * A table's rows, read in the order of `sql` and made into values by `shape` (null: wrong shape, left out and
 * counted); a table the damage reaches is named, and keeps the rows before it. With `backwards` (the same rows in
 * reverse key order, and a row's key), a damaged table is read again from its far end up to the damage, so only the
 * rows on the destroyed pages are lost.
 */
function readTable<T>(db: Database, table: string, sql: string, shape: (row: Row) => T | null, reading: Reading, backwards?: { sql: string; key: (row: Row) => string }): T[] {
  const forward = readRows(db, sql);
  let rows = forward.rows;
  if (!forward.complete) {
    reading.damaged.push(table);
    if (backwards) {
      const seen = new Set(rows.map(backwards.key));
      rows = [...rows, ...readRows(db, backwards.sql).rows.filter((r) => !seen.has(backwards.key(r))).reverse()];
    }
  }
  const out: T[] = [];
  for (const row of rows) {
    const value = shape(row);
    if (value === null) reading.malformed[table] = (reading.malformed[table] ?? 0) + 1;
    else out.push(value);
  }
  return out;
}

const TABLES = ['roots', 'results_folders', 'calibrations', 'labels', 'class_lists'];

// Each table's rows as values, or null when a row is not of the shape this version wrote.
const rootOf = (r: Row): SalvagedRoot | null => {
  const blacklist = textArray(r['blacklist']);
  return isText(r['path']) && blacklist ? { path: r['path'], blacklist } : null;
};
const resultsFolderOf = (r: Row): Salvage['resultsFolders'][number] | null => (isText(r['rootPath']) && isText(r['path']) ? { rootPath: r['rootPath'], path: r['path'] } : null);
const calibrationOf = (r: Row): Salvage['calibrations'][number] | null => {
  const px = r['px_per_um'];
  return isInt(r['instrument']) && typeof px === 'number' && Number.isFinite(px) && px > 0 && isInt(r['updated_at']) ? { instrument: r['instrument'], pxPerUm: px, updatedAt: r['updated_at'] } : null;
};
const labelOf = (r: Row): SalvagedLabel | null =>
  isText(r['bin_id']) && r['bin_id'] !== '' && isInt(r['roi']) && r['roi'] >= 1 && (r['label'] === null || isText(r['label'])) && isText(r['annotator']) && isInt(r['at_ms'])
    ? { binId: r['bin_id'], roi: r['roi'], label: r['label'], annotator: r['annotator'], atMs: r['at_ms'] }
    : null;
const classListOf = (r: Row): Salvage['classLists'][number] | null => {
  const classes = textArray(r['classes']);
  return isText(r['name']) && classes && isText(r['source']) && isInt(r['at_ms']) ? { name: r['name'], classes, source: r['source'], atMs: r['at_ms'] } : null;
};

const LABEL_COLUMNS = 'SELECT bin_id, roi, label, annotator, at_ms FROM labels';

/** Read what a person made from the catalogue file at `file` (never written; nothing when it is not a database). */
export function salvageLibrary(file: string): Salvage {
  const reading: Reading = { malformed: {}, damaged: [] };
  let db: Database;
  try {
    // raw and read-only: a newer schema must not be migrated, only read
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true, timeout: 200 });
  } catch {
    return { roots: [], resultsFolders: [], calibrations: [], labels: [], classLists: [], malformed: {}, damaged: [...TABLES] };
  }
  try {
    return {
      roots: readTable(db, 'roots', 'SELECT path, blacklist FROM roots ORDER BY root_id', rootOf, reading),
      resultsFolders: readTable(db, 'results_folders', 'SELECT r.path AS rootPath, f.path AS path FROM results_folders f JOIN roots r USING (root_id) ORDER BY f.path', resultsFolderOf, reading),
      calibrations: readTable(db, 'calibrations', 'SELECT instrument, px_per_um, updated_at FROM calibrations ORDER BY instrument', calibrationOf, reading),
      // the labels are the one table worth reading from both ends (thousands of rows, a person's work)
      labels: readTable(db, 'labels', `${LABEL_COLUMNS} ORDER BY bin_id, roi`, labelOf, reading, {
        sql: `${LABEL_COLUMNS} ORDER BY bin_id DESC, roi DESC`,
        key: (r) => `${String(r['bin_id'])}\u0000${String(r['roi'])}`,
      }),
      classLists: readTable(db, 'class_lists', 'SELECT name, classes, source, at_ms FROM class_lists ORDER BY name', classListOf, reading),
      ...reading,
    };
  } finally {
    db.close();
  }
}

/** How many of each were written into the fresh catalogue. */
export interface Restored {
  resultsFolders: number;
  calibrations: number;
  labels: number;
  classLists: number;
}

/**
 * Write the salvage (all but the roots, which the catalogue adds with its own checks) into the fresh catalogue `db`,
 * in one transaction. `rootIdOf` maps a library folder to its new id; results folders of a folder that was not
 * carried over are left out.
 */
export function restoreSalvage(db: Database, salvage: Salvage, rootIdOf: (rootPath: string) => number | undefined): Restored {
  return db.transaction((): Restored => {
    let resultsFolders = 0;
    const folder = db.prepare('INSERT OR IGNORE INTO results_folders (root_id, path) VALUES (?, ?)');
    for (const f of salvage.resultsFolders) {
      const rootId = rootIdOf(f.rootPath);
      if (rootId !== undefined) resultsFolders += folder.run(rootId, f.path).changes;
    }
    for (const c of salvage.calibrations) writeCalibration(db, c.instrument, c.pxPerUm, c.updatedAt);
    const label = db.prepare('INSERT OR IGNORE INTO labels (bin_id, roi, label, annotator, at_ms) VALUES (?, ?, ?, ?, ?)');
    let labels = 0;
    for (const l of salvage.labels) labels += label.run(l.binId, l.roi, l.label, l.annotator, l.atMs).changes;
    const list = db.prepare('INSERT OR IGNORE INTO class_lists (name, classes, source, at_ms) VALUES (?, ?, ?, ?)');
    let classLists = 0;
    for (const l of salvage.classLists) classLists += list.run(l.name, JSON.stringify(l.classes), l.source, l.atMs).changes;
    return { resultsFolders, calibrations: salvage.calibrations.length, labels, classLists };
  })();
}
