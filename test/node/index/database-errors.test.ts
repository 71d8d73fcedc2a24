/**
 * A full disk or an I/O error under the catalogue is DB_IO (details.rebuild false), not DB_CORRUPT: the file
 * is not damaged, and "Rebuild" would only lose it. SQLITE_FULL is produced for real (PRAGMA max_page_count).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { isIfcbError } from '../../../shared/errors.ts';
import { classifySqliteError } from '../../../main/index/database.ts';
import { tempCatalogue } from './helpers.ts';

test('a full database (real SQLITE_FULL) gives DB_IO without a rebuild offer', (t) => {
  const { catalogue, dir, dbPath } = tempCatalogue(t);
  const pages = catalogue.db.pragma('page_count', { simple: true }) as number;
  catalogue.db.pragma(`max_page_count = ${pages}`); // the "disk" is full at the current size
  let thrown: unknown;
  for (let i = 0; i < 500 && thrown === undefined; i++) {
    const folder = path.join(dir, `root-${String(i).padStart(3, '0')}-${'x'.repeat(150)}`);
    mkdirSync(folder);
    try {
      catalogue.addRoot(folder);
    } catch (e) {
      thrown = e;
    }
  }
  assert.ok(isIfcbError(thrown, 'DB_IO'), `expected DB_IO, got ${String(thrown)}`);
  assert.deepEqual(thrown.details, { dbPath: path.resolve(dbPath), sqliteCode: 'SQLITE_FULL', rebuild: false });
  assert.match(thrown.message, /could not be read or written \(disk full or I\/O error: SQLITE_FULL\)/);
  assert.doesNotMatch(thrown.message, /--rebuild|Rebuild/);
});

test('every SQLITE_IOERR variant is DB_IO; damage stays DB_CORRUPT with a rebuild', () => {
  const { SqliteError } = BetterSqlite3;
  for (const code of ['SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_READ', 'SQLITE_IOERR_FSYNC', 'SQLITE_IOERR_SHORT_READ', 'SQLITE_FULL']) {
    const e = classifySqliteError(new SqliteError('disk I/O error', code), '/db/catalogue.sqlite');
    assert.ok(isIfcbError(e, 'DB_IO'), code);
    assert.deepEqual(e.details, { dbPath: '/db/catalogue.sqlite', sqliteCode: code, rebuild: false });
  }
  const corrupt = classifySqliteError(new SqliteError('database disk image is malformed', 'SQLITE_CORRUPT'), '/db/catalogue.sqlite');
  assert.ok(isIfcbError(corrupt, 'DB_CORRUPT'));
  assert.equal(corrupt.details?.['rebuild'], true);
});
