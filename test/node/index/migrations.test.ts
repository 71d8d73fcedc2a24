import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { isIfcbError } from '../../../shared/errors.ts';
import { migrate, openDatabase, schemaVersion } from '../../../main/index/database.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../main/index/migrations/index.ts';
import { openCatalogue, rebuildCatalogue } from '../../../main/index/catalogue.ts';
import { tempDirFor } from '../../helpers/temp.ts';

function tables(db: BetterSqlite3.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

test('migrations are numbered 1..N without gaps and SCHEMA_VERSION is the last', () => {
  assert.deepEqual(MIGRATIONS.map((m) => m.version), [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(SCHEMA_VERSION, 7);
  assert.deepEqual(MIGRATIONS.map((m) => m.name), ['initial', 'walk-problems', 'library-search', 'calibrations', 'classes', 'class-counts', 'label-event-authors']);
});

test('migration 1 creates roots, bins and the query indexes, at user_version 1', () => {
  const db = new BetterSqlite3(':memory:');
  assert.equal(migrate(db, 1), 1);
  assert.deepEqual(tables(db), ['bins', 'bins_by_id', 'bins_by_instrument_time', 'bins_by_root_time', 'bins_by_time', 'bins_series', 'roots']);
  db.prepare("INSERT INTO roots (path, whitelist, blacklist, added_at) VALUES ('/r', '[]', '[]', 1)").run();
  db.prepare(
    "INSERT INTO bins (root_id, folder, id, schema, instrument, epoch_ms, adc_size, adc_mtime_ms, hdr_size, hdr_mtime_ms, indexed_at) VALUES (1, '', 'D20130526T095207_IFCB013', 2, 13, 5, 1, 1, 1, 1, 1)",
  ).run();
  // (root, folder, id) is unique: the same bin twice in one folder is refused
  assert.throws(() =>
    db
      .prepare(
        "INSERT INTO bins (root_id, folder, id, schema, instrument, epoch_ms, adc_size, adc_mtime_ms, hdr_size, hdr_mtime_ms, indexed_at) VALUES (1, '', 'D20130526T095207_IFCB013', 2, 13, 5, 1, 1, 1, 1, 1)",
      )
      .run(),
  );
  db.close();
});

test('migration 2 adds walk_problems to a version-1 database and keeps its rows', () => {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, 1);
  db.prepare("INSERT INTO roots (path, whitelist, blacklist, added_at) VALUES ('/r', '[\"data\"]', '[]', 7)").run();
  assert.equal(migrate(db, 2), 2);
  assert.equal(schemaVersion(db), 2);
  assert.ok(tables(db).includes('walk_problems'));
  assert.deepEqual(db.prepare('SELECT path, whitelist, added_at FROM roots').all(), [{ path: '/r', whitelist: '["data"]', added_at: 7 }]);
  db.prepare("INSERT INTO walk_problems VALUES (1, 'foo.adc', 'INVALID_BIN_ID', 'x')").run();
  db.prepare('DELETE FROM roots').run(); // cascades
  assert.equal((db.prepare('SELECT count(*) AS n FROM walk_problems').get() as { n: number }).n, 0);
  // Re-running is a no-op.
  assert.equal(migrate(db, 2), 2);
  db.close();
});

test('migration 3 drops the whitelist, shows one copy of each bin id, and its indexes carry what search tests', () => {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, 2);
  db.prepare("INSERT INTO roots (path, whitelist, blacklist, added_at) VALUES ('/r', '[\"data\"]', '[\"skip\"]', 7)").run();
  const insert = db.prepare(
    'INSERT INTO bins (root_id, folder, id, schema, instrument, epoch_ms, adc_size, adc_mtime_ms, hdr_size, hdr_mtime_ms, qc, indexed_at) VALUES (1, ?, ?, 2, 13, 5, 1, 1, 1, 1, ?, 1)',
  );
  insert.run('partial', 'D20130526T095207_IFCB013', 33); // noRoi | partial: the older row, but not usable
  insert.run('data', 'D20130526T095207_IFCB013', 0);
  insert.run('data', 'D20140101T000000_IFCB013', 0);
  assert.equal(migrate(db, 3), 3);
  assert.deepEqual(db.prepare('SELECT path, blacklist, added_at FROM roots').all(), [{ path: '/r', blacklist: '["skip"]', added_at: 7 }]);
  assert.deepEqual(db.prepare('SELECT folder, id, shadowed FROM bins ORDER BY key').raw().all(), [
    ['partial', 'D20130526T095207_IFCB013', 1],
    ['data', 'D20130526T095207_IFCB013', 0],
    ['data', 'D20140101T000000_IFCB013', 0],
  ]);
  const plan = (sql: string): string => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
  assert.equal(plan("SELECT key FROM bins WHERE shadowed = 0 AND instr(id || ' IFCB' || instrument, 'T0952') > 0 ORDER BY epoch_ms, key"), 'SCAN bins USING COVERING INDEX bins_by_time');
  assert.deepEqual(db.prepare("SELECT id FROM bins WHERE shadowed = 0 AND instr(id || ' IFCB' || instrument, 'IFCB13') > 0 ORDER BY epoch_ms, key").pluck().all(), ['D20130526T095207_IFCB013', 'D20140101T000000_IFCB013']);
  db.close();
});

test('a new database file is created in WAL mode at the latest version', (t) => {
  const dir = tempDirFor(t);
  const db = openDatabase(path.join(dir, 'c.sqlite'));
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(schemaVersion(db), SCHEMA_VERSION);
  db.close();
});

test('a 0-byte database file is a new, empty catalogue (not an error)', (t) => {
  const dir = tempDirFor(t);
  const file = path.join(dir, 'zero.sqlite');
  writeFileSync(file, '');
  const c = openCatalogue(file);
  assert.deepEqual(c.listRoots(), []);
  assert.equal(schemaVersion(c.db), SCHEMA_VERSION);
  c.db.close();
});

test('a garbage database file gives DB_CORRUPT with a rebuild offer, and rebuildCatalogue moves it aside', (t) => {
  const dir = tempDirFor(t);
  const file = path.join(dir, 'garbage.sqlite');
  writeFileSync(file, Buffer.alloc(8192, 0x5a));
  assert.throws(
    () => openCatalogue(file),
    (e: unknown) => isIfcbError(e, 'DB_CORRUPT') && e.details?.['rebuild'] === true && e.message.includes('--rebuild'),
  );
  const c = rebuildCatalogue(file);
  assert.equal(schemaVersion(c.db), SCHEMA_VERSION);
  c.db.close();
});

test('a database from a newer schema gives DB_TOO_NEW (not touched); rebuild keeps its roots', (t) => {
  const dir = tempDirFor(t);
  const file = path.join(dir, 'new.sqlite');
  const c0 = openCatalogue(file);
  c0.addRoot(dir);
  c0.db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
  c0.db.close();
  assert.throws(() => openCatalogue(file), (e: unknown) => isIfcbError(e, 'DB_TOO_NEW') && e.details?.['version'] === SCHEMA_VERSION + 5 && e.details['rebuild'] === true);
  const raw = new BetterSqlite3(file, { readonly: true });
  assert.equal(schemaVersion(raw), SCHEMA_VERSION + 5); // the newer file was left as it was
  raw.close();
  const c = rebuildCatalogue(file);
  assert.deepEqual(c.listRoots().map((r) => r.path), [dir]);
  assert.equal(schemaVersion(c.db), SCHEMA_VERSION);
  c.db.close();
});

test('a database locked by another connection gives DB_LOCKED after the busy timeout', (t) => {
  const dir = tempDirFor(t);
  const file = path.join(dir, 'locked.sqlite');
  const other = new BetterSqlite3(file);
  other.exec('CREATE TABLE x (a)');
  other.exec('BEGIN EXCLUSIVE');
  try {
    assert.throws(() => openCatalogue(file, { busyTimeoutMs: 50 }), (e: unknown) => isIfcbError(e, 'DB_LOCKED') && e.details?.['sqliteCode'] === 'SQLITE_BUSY');
  } finally {
    other.exec('ROLLBACK');
    other.close();
  }
  const c = openCatalogue(file);
  assert.equal(schemaVersion(c.db), SCHEMA_VERSION);
  c.db.close();
});
