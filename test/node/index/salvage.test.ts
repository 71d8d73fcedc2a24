/**
 * A rebuild of a damaged or too-new library carries over what a person made (folders, results folders, calibrations,
 * labels with who and when, class lists), read from the real old file: whole when it can be read, up to the damage
 * when a page of it is destroyed, nothing from a file that is not a database — and says which.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openCatalogue, rebuildCatalogue } from '../../../main/index/catalogue.ts';
import type { Catalogue } from '../../../main/index/catalogue.ts';
import { readCalibrations, writeCalibration } from '../../../main/index/calibration-store.ts';
import { SCHEMA_VERSION } from '../../../main/index/migrations/index.ts';
import { salvageLibrary } from '../../../main/index/salvage.ts';
import { LabelStore } from '../../../main/products/label-store.ts';
import { addResultsFolder, resultsFolders } from '../../../main/products/product-store.ts';
import { describeRebuild } from '../../../main/app/library.ts';
import { tempDirFor } from '../../helpers/temp.ts';

const LABELS = 6000;

/** A library with two folders (one of which will be gone), a results folder, two calibrations, 6,000 labels and a class list. */
function makeLibrary(dir: string): { file: string; data: string; gone: string; results: string } {
  const file = path.join(dir, 'library.sqlite');
  const data = path.join(dir, 'cruise');
  const gone = path.join(dir, 'old-cruise');
  const results = path.join(dir, 'results');
  for (const d of [data, gone, results]) mkdirSync(d);
  const c = openCatalogue(file);
  const root = c.addRoot(data, { blacklist: ['skip', 'beads', 'dark'] });
  c.addRoot(gone);
  addResultsFolder(c.db, root.rootId, results);
  writeCalibration(c.db, 134, 3.4, 1_700_000_000_000);
  writeCalibration(c.db, 5, 2.77, 1_700_000_000_001);
  const store = new LabelStore(c.db);
  const bins = Array.from({ length: 60 }, (_, i) => `D20240101T${String(i).padStart(2, '0')}0000_IFCB134`);
  // 60 bins × 100 ROIs, three annotators, one explicitly cleared
  store.apply(
    bins.flatMap((binId, b) => Array.from({ length: LABELS / bins.length }, (_, r) => ({ binId, roi: r + 1, label: r === 7 && b === 3 ? null : `Class_${(b + r) % 9}`, annotator: ['ana', 'ben', 'chen'][r % 3]!, atMs: 1_700_000_000_000 + b * 1000 + r }))),
    { annotator: 'import', kind: 'import', source: 'seed.csv' },
  );
  store.saveClassList('class2use', ['Class_0', 'Class_1', 'Dinophysis'], 'class2use.mat', 1_700_000_000_000);
  c.db.close();
  return { file, data, gone, results };
}

function labelsOf(db: BetterSqlite3.Database): string[] {
  return (db.prepare('SELECT bin_id, roi, label, annotator, at_ms FROM labels ORDER BY bin_id, roi').raw().all() as unknown[][]).map((r) => JSON.stringify(r));
}

function readOnly(file: string): BetterSqlite3.Database {
  return new BetterSqlite3(file, { readonly: true });
}

/** Fill page `pageno` of the database file with garbage. */
function destroyPage(file: string, pageno: number, pageSize: number): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (pageno - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}

function closeAfter(t: { after(fn: () => void): void }, c: Catalogue): Catalogue {
  t.after(() => c[Symbol.dispose]());
  return c;
}

test('a too-new library is carried over whole: folders with their skip lists, results folder, calibrations, every label, class lists', (t) => {
  const dir = tempDirFor(t, 'ifcb-salvage-');
  const lib = makeLibrary(dir);
  const before = readOnly(lib.file);
  const labels = labelsOf(before);
  before.close();
  assert.equal(labels.length, LABELS);
  const raw = new BetterSqlite3(lib.file);
  raw.pragma(`user_version = ${SCHEMA_VERSION + 3}`);
  raw.close();
  // one folder is gone by the time of the rebuild
  rmSync(lib.gone, { recursive: true });

  const c = closeAfter(t, rebuildCatalogue(lib.file));
  const roots = c.listRoots();
  assert.deepEqual(roots.map((r) => [r.path, r.blacklist]), [[lib.data, ['skip', 'beads', 'dark']]]);
  assert.deepEqual(resultsFolders(c.db, roots[0]!.rootId), [lib.results]);
  assert.deepEqual([...readCalibrations(c.db)], [[5, 2.77], [134, 3.4]]);
  assert.deepEqual(labelsOf(c.db), labels, 'every label, with its annotator and time, the cleared one as cleared');
  assert.deepEqual(new LabelStore(c.db).classList('class2use'), ['Class_0', 'Class_1', 'Dinophysis']);
  assert.deepEqual(c.db.prepare('SELECT count(*) AS n FROM label_changes').get(), { n: 0 }, 'the undo history is not carried');
  const report = c.rebuiltFrom!;
  assert.match(report.movedTo!, /library\.sqlite\.broken-\d{4}-\d\d-\d\dT/);
  assert.ok(existsSync(report.movedTo!), 'the old file is kept beside');
  assert.deepEqual(
    { ...report, movedTo: null },
    { movedTo: null, roots: 1, rootsNotFound: [lib.gone], restored: { resultsFolders: 1, calibrations: 2, labels: LABELS, classLists: 1 }, malformed: {}, damaged: [] },
  );
  assert.deepEqual(describeRebuild(report), [
    `The old library file was moved to ${report.movedTo}.`,
    'Carried over: 1 library folder, 6,000 labels, 1 results folder, 2 calibrations, 1 class list.',
    `Not found any more, so not carried over: ${lib.gone}.`,
  ]);
});

test('a destroyed page in the middle of the labels: every label on the other pages is carried exactly, the table is named', (t) => {
  const dir = tempDirFor(t, 'ifcb-salvage-');
  const lib = makeLibrary(dir);
  const db = readOnly(lib.file);
  const labels = labelsOf(db);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const leaves = db.prepare("SELECT pageno, ncell FROM dbstat WHERE name = 'labels' AND pagetype = 'leaf' ORDER BY path").all() as { pageno: number; ncell: number }[];
  db.close();
  assert.ok(leaves.length >= 10, `${leaves.length} leaf pages of labels`);
  // a leaf page holds `ncell` labels, consecutive in key order
  const middle = Math.floor(leaves.length / 2);
  const onPage = leaves[middle]!.ncell;
  destroyPage(lib.file, leaves[middle]!.pageno, pageSize);
  // the damage is real: SQLite itself refuses to read the table through
  const check = readOnly(lib.file);
  // (a column outside the labels_by_label index, so the table itself is read)
  assert.throws(() => check.prepare('SELECT count(annotator) FROM labels').get(), /malformed|corrupt/i);
  check.close();

  const c = closeAfter(t, rebuildCatalogue(lib.file));
  const carried = labelsOf(c.db);
  // read up to the damage, then from the far end back to it: only the destroyed page's labels are missing, one run
  const gap = carried.findIndex((l, i) => l !== labels[i]);
  assert.ok(gap > 0, `the first ${gap} labels carried`);
  assert.deepEqual(carried, [...labels.slice(0, gap), ...labels.slice(gap + onPage)], `${carried.length} of ${LABELS} carried, ${onPage} on the destroyed page`);
  assert.deepEqual(c.rebuiltFrom!.damaged, ['labels']);
  assert.equal(c.rebuiltFrom!.restored.labels, carried.length);
  assert.deepEqual([c.rebuiltFrom!.roots, c.rebuiltFrom!.restored.calibrations, c.rebuiltFrom!.restored.classLists, c.rebuiltFrom!.restored.resultsFolders], [2, 2, 1, 1]);
  assert.equal(describeRebuild(c.rebuiltFrom!).at(-1), 'Could not be read, whole or in part, from the old file: labels.');
});

test('rows of the wrong shape are left out and counted; the rest is carried', (t) => {
  const dir = tempDirFor(t, 'ifcb-salvage-');
  const lib = makeLibrary(dir);
  const raw = new BetterSqlite3(lib.file);
  raw.prepare('INSERT INTO labels VALUES (?, ?, ?, ?, ?)').run('', 3, 'Class_1', 'ana', 1);
  raw.prepare('INSERT INTO labels VALUES (?, ?, ?, ?, ?)').run('D20240101T000000_IFCB134', 0, 'Class_1', 'ana', 1);
  raw.prepare('INSERT INTO class_lists VALUES (?, ?, ?, ?)').run('broken', '{"not": "a list"}', 'x.mat', 1);
  raw.prepare('UPDATE roots SET blacklist = ? WHERE path = ?').run('not json', lib.gone);
  raw.close();
  const salvage = salvageLibrary(lib.file);
  assert.deepEqual(salvage.malformed, { roots: 1, labels: 2, class_lists: 1 });
  assert.deepEqual(salvage.damaged, []);
  assert.equal(salvage.labels.length, LABELS);
  const c = closeAfter(t, rebuildCatalogue(lib.file));
  assert.deepEqual(c.listRoots().map((r) => r.path), [lib.data]);
  assert.equal(describeRebuild(c.rebuiltFrom!).at(-1), 'Left out as unreadable: 1 entry of library folders, 2 entries of labels, 1 entry of class lists.');
});

test('a file that is not a database gives nothing to carry, names every table, and is still moved aside', (t) => {
  const dir = tempDirFor(t, 'ifcb-salvage-');
  const file = path.join(dir, 'library.sqlite');
  writeFileSync(file, Buffer.alloc(8192, 0x5a));
  const c = closeAfter(t, rebuildCatalogue(file));
  assert.deepEqual(c.listRoots(), []);
  assert.deepEqual(describeRebuild(c.rebuiltFrom!).slice(1), [
    'Carried over: 0 library folders, 0 labels, 0 results folders, 0 calibrations, 0 class lists.',
    'Could not be read, whole or in part, from the old file: library folders, results folders, calibrations, labels, class lists.',
  ]);
  assert.equal(readdirSync(dir).filter((f) => f.startsWith('library.sqlite.broken-')).length, 1);
});

test('salvage never writes the old file\'s contents', (t) => {
  const dir = tempDirFor(t, 'ifcb-salvage-');
  const lib = makeLibrary(dir);
  const bytes = readFileSync(lib.file);
  salvageLibrary(lib.file);
  assert.ok(readFileSync(lib.file).equals(bytes));
});
