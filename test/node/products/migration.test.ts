/**
 * Migration 5 (classes): its tables, and what removing a root takes with it (products) and keeps (labels).
 * Migration 7: who/when per labelled ROI of a change, so a redo gives an import's rows their own authors back.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { migrate, schemaVersion } from '../../../main/index/database.ts';
import { LabelStore } from '../../../main/products/label-store.ts';

test('migration 5 adds the label, class-list and product tables to an existing library and keeps its rows', () => {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, 2);
  db.prepare("INSERT INTO roots (path, whitelist, blacklist, added_at) VALUES ('/r', '[]', '[]', 1)").run();
  assert.equal(migrate(db, 5), 5);
  assert.equal(schemaVersion(db), 5);
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  for (const t of ['label_changes', 'label_events', 'labels', 'class_lists', 'results_folders', 'bin_products']) assert.ok(tables.includes(t), t);
  assert.equal((db.prepare('SELECT count(*) AS n FROM roots').get() as { n: number }).n, 1);
  db.prepare("INSERT INTO results_folders VALUES (1, '/results')").run();
  db.prepare("INSERT INTO bin_products VALUES ('/results/x_class.h5', 'D20220522T003051_IFCB134', 'class-h5', 0, 1)").run();
  migrate(db); // the label store writes the current schema
  new LabelStore(db).set([{ binId: 'D20220522T003051_IFCB134', targets: [2] }], 'Ciliates', { annotator: 'a', atMs: 1 });
  db.prepare('DELETE FROM roots').run();
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  assert.deepEqual([count('results_folders'), count('bin_products')], [0, 0], 'a removed root takes its products along');
  assert.deepEqual([count('labels'), count('label_events')], [1, 1], 'labels belong to the bin id, not to a root');
  db.close();
});

test('migration 7 keeps the change log of a version-6 library: its changes redo with their own author and time', () => {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, 6);
  const BIN = 'D20220522T003051_IFCB134';
  // one change logged by the version-6 store: ROI 2 labelled A by ann at 1000
  db.prepare("INSERT INTO label_changes (kind, annotator, at_ms) VALUES ('set', 'ann', 1000)").run();
  db.prepare("INSERT INTO label_events VALUES (1, ?, 2, 'A', 0, NULL, NULL, NULL)").run(BIN);
  db.prepare("INSERT INTO labels VALUES (?, 2, 'A', 'ann', 1000)").run(BIN);
  assert.equal(migrate(db), 7);
  const store = new LabelStore(db);
  assert.equal(store.undo()?.id, 1);
  assert.deepEqual(store.storedOf(BIN), []);
  store.redo();
  assert.deepEqual(store.storedOf(BIN), [{ binId: BIN, roi: 2, label: 'A', annotator: 'ann', atMs: 1000 }]);
  // a change made now keeps each row's own author through undo and redo
  store.apply(
    [
      { binId: BIN, roi: 3, label: 'B', annotator: 'bob', atMs: 2000 },
      { binId: BIN, roi: 4, label: 'C' },
    ],
    { annotator: 'me', atMs: 3000, kind: 'import' },
  );
  store.undo();
  store.redo();
  assert.deepEqual(store.storedOf(BIN).map((l) => [l.roi, l.label, l.annotator, l.atMs]), [
    [2, 'A', 'ann', 1000],
    [3, 'B', 'bob', 2000],
    [4, 'C', 'me', 3000],
  ]);
  db.close();
});
